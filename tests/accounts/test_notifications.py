import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notification_send_creates_rows_and_emails_after_commit(django_capture_on_commit_callbacks):
    alice, bob = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(recipients=[alice, bob.pk, alice], title="Grades published")
    assert Notification.objects.filter(title="Grades published").count() == 2
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_email_delivery_is_idempotent():
    user = UserFactory()
    notification = Notification.objects.create(recipient=user, title="Hi")
    assert services.notification_email_deliver(notification_ids=[notification.pk]) == 1
    assert services.notification_email_deliver(notification_ids=[notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_unread_badge_and_mark_read_only_touch_own(client):
    user, other = UserFactory(), UserFactory()
    mine = Notification.objects.create(recipient=user, title="Mine")
    theirs = Notification.objects.create(recipient=other, title="Theirs")
    client.force_login(user)
    badge = client.get(reverse("accounts:notifications_badge"))
    assert 'id="unread-badge"' in badge.content.decode()
    client.post(reverse("accounts:notifications_read"), {"id": [mine.pk, theirs.pk]})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_bad_notification_id_is_a_message_not_a_500(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:notifications_read"), {"id": "abc"}, follow=True)
    assert response.status_code == 200


def test_notification_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    Notification.objects.bulk_create([Notification(recipient=user, title=f"n{i}") for i in range(3)])
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("accounts:notifications"))
    Notification.objects.bulk_create([Notification(recipient=user, title=f"m{i}") for i in range(40)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:notifications"))


def test_notification_is_rendered_in_each_readers_language(client, django_capture_on_commit_callbacks):
    """Stored as the source text and parameters; each reader sees it in their own
    language, on the page, in the API and in the e-mail."""
    zh = UserFactory(language="zh-hans", email="zh@example.com")
    en = UserFactory(language="en", email="en@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(recipients=[zh, en], title="Competition award approved: %(competition)s",
                                   params={"competition": "ACM"})
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {"zh@example.com": "竞赛获奖已审核通过：ACM", "en@example.com": "Competition award approved: ACM"}
    client.force_login(zh)
    assert "竞赛获奖已审核通过：ACM" in client.get(reverse("accounts:notifications")).content.decode()
    assert client.get("/api/v1/notifications/").json()["results"][0]["title"] == "竞赛获奖已审核通过：ACM"
    client.force_login(en)
    assert "Competition award approved: ACM" in client.get(reverse("accounts:notifications")).content.decode()


def test_a_malformed_parameter_never_breaks_the_page():
    n = Notification(title="Detection job %(id)d failed", params={"id": "x"})
    assert n.title_text == "Detection job %(id)d failed"
