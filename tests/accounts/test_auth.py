import pytest
from django.urls import reverse

from accounts.models import AuditLog, Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.STUDENT, "students:home"),
        (Role.TEACHER, "teachers:home"),
        (Role.ENTERPRISE, "enterprises:home"),
        (Role.INDUSTRY, "evaluations:home"),
        (Role.SCHOOL_ADMIN, "admin_portal:dashboard"),
    ],
)
def test_login_lands_each_role_on_its_home(client, role, home):
    user = UserFactory(role=role)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_wrong_password_shows_form_error(client):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_repeated_failures_lock_the_account_with_a_clear_message(client, settings):
    user = UserFactory(username="victim")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("accounts:login"), {"username": "victim", "password": "wrong"})
        assert response.status_code in (200, 429)
    # Now even the right password is refused, with an explanation and no 500.
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert 'id="lockout-message"' in body
    assert "_auth_user_id" not in client.session
    # Another account is not affected by this lockout.
    other = UserFactory(username="bystander")
    ok = client.post(reverse("accounts:login"), {"username": other.username, "password": TEST_PASSWORD})
    assert ok.status_code == 302


def test_logout_requires_post_and_ends_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_is_audited(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "N3w-passw0rd-long", "new_password2": "N3w-passw0rd-long"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("N3w-passw0rd-long")
    assert AuditLog.objects.filter(action="user.password_change", target_id=str(user.pk)).exists()
