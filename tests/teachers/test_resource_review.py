"""Shared resources wait for the school's review (issue 15 item 4): partners' uploads and
teachers' uploads for everyone go pending; until published only the uploader and school
administrators see them (404 for everybody else, on pages, files, previews, ratings and the
API); administrators approve or reject them in the moderation queue, which counts them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import AuditLog, Notification, Role
from admin_portal.selectors import moderation_pending_count, moderation_queues
from admin_portal.services import moderation_decide
from teachers.models import Resource
from teachers.resources import services
from teachers.resources.selectors import resources_for_user
from tests.factories import UserFactory
from tests.teachers import resource_files as files

pytestmark = pytest.mark.django_db

Status = Resource.Status


@pytest.fixture
def people():
    users = {role: UserFactory(role=role, username=f"rr_{role}") for role in Role.values}
    users["other_teacher"] = UserFactory(role=Role.TEACHER, username="rr_teacher2")
    users["other_enterprise"] = UserFactory(role=Role.ENTERPRISE, username="rr_enterprise2")
    return users


def _upload(actor, name="r.pdf", visibility="partners", kind="courseware", data=None, **kw):
    return services.resource_upload(actor=actor, upload=SimpleUploadedFile(name, data or files.pdf_bytes()),
                                    title=kw.pop("title", name), kind=kind, visibility=visibility, **kw)


@pytest.mark.parametrize(("role", "visibility", "status"), [
    (Role.ENTERPRISE, "partners", Status.PENDING),
    (Role.ENTERPRISE, "public", Status.PENDING),
    (Role.INDUSTRY, "partners", Status.PENDING),
    (Role.INDUSTRY, "public", Status.PENDING),
    (Role.TEACHER, "public", Status.PENDING),
    (Role.TEACHER, "school", Status.PUBLISHED),
    (Role.TEACHER, "partners", Status.PUBLISHED),
    (Role.SCHOOL_ADMIN, "school", Status.PUBLISHED),
    (Role.SCHOOL_ADMIN, "public", Status.PUBLISHED),
])
def test_who_waits_for_review(people, role, visibility, status):
    resource = _upload(people[role], visibility=visibility)
    assert resource.status == status
    waiting = Notification.objects.filter(recipient=people["school_admin"], title="Resource to review: %(title)s")
    assert waiting.count() == (1 if status == Status.PENDING else 0)
    if status == Status.PENDING:
        note = waiting.get()
        assert note.params["title"] == "r.pdf" and note.url == reverse("teachers:resource_detail", args=[resource.pk])


def test_upload_page_says_it_waits(client, people):
    client.force_login(people["enterprise"])
    response = client.post(reverse("teachers:resource_upload"), {
        "title": "Case", "kind": "case", "visibility": "partners",
        "file": SimpleUploadedFile("case.pdf", files.pdf_bytes())}, follow=True)
    assert response.status_code == 200
    assert "waits for a school administrator's review" in response.content.decode()
    client.force_login(people["teacher"])
    response = client.post(reverse("teachers:resource_upload"), {
        "title": "Slides", "kind": "courseware", "visibility": "school",
        "file": SimpleUploadedFile("slides.pdf", files.pdf_bytes())}, follow=True)
    assert "Resource shared." in response.content.decode()


def _urls(resource):
    return {name: reverse(f"teachers:{name}", args=[resource.pk])
            for name in ("resource_detail", "resource_download", "resource_preview")}


def _preview(resource):
    from teachers.resources.previews import preview_render

    assert preview_render(resource=resource)


@pytest.mark.parametrize("rejected", [False, True])
def test_pending_and_rejected_are_seen_by_the_uploader_and_administrators_only(client, people, rejected):
    resource = _upload(people["enterprise"], name="case.pdf", kind="case", title="Waiting case")
    _preview(resource)
    if rejected:
        services.resource_review(actor=people["school_admin"], resource=resource, approve=False, note="Too thin")
    for who in ("enterprise", "school_admin"):
        user = people[who]
        assert list(resources_for_user(user=user)) == [resource]
        client.force_login(user)
        for name, url in _urls(resource).items():
            assert client.get(url).status_code == 200, (who, name)
        listing = client.get(reverse("api:teachers-resources")).json()
        assert [(r["id"], r["status"]) for r in listing["results"]] == [
            (resource.pk, "rejected" if rejected else "pending")]
        page = client.get(reverse("teachers:resource_list")).content.decode()
        assert 'data-status="rejected"' in page if rejected else 'data-status="pending"' in page
    resource.refresh_from_db()
    assert resource.downloads == 0  # review downloads are not counted
    for who in ("other_teacher", "student", "other_enterprise", "industry", "teacher"):
        user = people[who]
        assert not resources_for_user(user=user).exists(), who
        client.force_login(user)
        for name, url in _urls(resource).items():
            assert client.get(url).status_code == 404, (who, name)
        assert client.post(reverse("teachers:resource_rate", args=[resource.pk]), {"stars": 5}).status_code == 404
        assert client.get(reverse("api:teachers-resources")).json()["count"] == 0
        assert client.get(reverse("api:teachers-resources"), {"q": "waiting"}).json()["count"] == 0
        if user.role in (Role.TEACHER, Role.ENTERPRISE):  # those who turn cases into topics
            assert client.get(reverse("projects:case_to_topic", args=[resource.pk])).status_code == 404
    client.force_login(people["enterprise"])  # not even the uploader builds on an unpublished case
    assert client.get(reverse("projects:case_to_project", args=[resource.pk])).status_code == 404
    assert not resource.ratings.exists()


def test_uploader_sees_the_badge_and_the_rejection_note(client, people):
    resource = _upload(people["industry"], title="Skill standard")
    client.force_login(people["industry"])
    page = client.get(reverse("teachers:resource_detail", args=[resource.pk])).content.decode()
    assert 'id="resource-status" data-status="pending"' in page and 'id="review-pending"' in page
    assert 'id="rate-form"' not in page
    services.resource_review(actor=people["school_admin"], resource=resource, approve=False,
                             note="Please remove the members' phone numbers")
    page = client.get(reverse("teachers:resource_detail", args=[resource.pk])).content.decode()
    assert 'data-status="rejected"' in page and "Please remove the members&#x27; phone numbers" in page
    client.force_login(people["school_admin"])
    page = client.get(reverse("teachers:resource_detail", args=[resource.pk])).content.decode()
    assert 'id="review-note"' in page and 'id="rate-form"' not in page
    with pytest.raises(ApplicationError):  # not even an administrator rates an unpublished resource
        services.resource_rate(actor=people["school_admin"], resource=resource, stars=5)


def test_publishing_makes_it_visible_like_any_other(client, people):
    resource = _upload(people["enterprise"], name="case.pdf", kind="case")
    services.resource_review(actor=people["school_admin"], resource=resource, approve=True, note="")
    resource.refresh_from_db()
    assert (resource.status, resource.reviewed_by, resource.reviewed_at is not None) == (
        Status.PUBLISHED, people["school_admin"], True)
    for who in ("student", "other_teacher", "other_enterprise", "industry"):
        assert list(resources_for_user(user=people[who])) == [resource], who
    client.force_login(people["other_enterprise"])
    assert client.get(reverse("teachers:resource_download", args=[resource.pk])).status_code == 200
    assert client.post(reverse("teachers:resource_rate", args=[resource.pk]), {"stars": 4}).status_code == 302
    resource.refresh_from_db()
    assert (resource.downloads, resource.rating_count) == (1, 1)
    client.force_login(people["teacher"])
    assert client.get(reverse("projects:case_to_topic", args=[resource.pk])).status_code == 200


def test_school_visibility_still_hides_from_partners(people):
    published_public = _upload(people["teacher"], visibility="public")
    services.resource_review(actor=people["school_admin"], resource=published_public, approve=True)
    _upload(people["teacher"], name="school.pdf", visibility="school")
    assert list(resources_for_user(user=people["enterprise"])) == [published_public]
    assert resources_for_user(user=people["student"]).count() == 2


def test_review_rules(people):
    admin = people["school_admin"]
    resource = _upload(people["enterprise"])
    with pytest.raises(NotPermitted):
        services.resource_review(actor=people["teacher"], resource=resource, approve=True)
    with pytest.raises(NotPermitted):
        moderation_decide(actor=people["teacher"], kind="resource", item_id=resource.pk, approve=True)
    with pytest.raises(ApplicationError) as exc:
        services.resource_review(actor=admin, resource=resource, approve=False, note="  ")
    assert exc.value.code == "note_required"
    resource.refresh_from_db()
    assert resource.status == Status.PENDING
    services.resource_review(actor=admin, resource=resource, approve=False, note="Not a case")
    with pytest.raises(ApplicationError) as exc:
        services.resource_review(actor=admin, resource=resource, approve=True)
    assert exc.value.code == "state"
    school = _upload(people["teacher"], visibility="school")
    with pytest.raises(ApplicationError):  # published at once: nothing to decide
        services.resource_review(actor=admin, resource=school, approve=True)
    assert list(AuditLog.objects.filter(target_id=str(resource.pk), action__startswith="resource.")
                .order_by("pk").values_list("action", flat=True)) == ["resource.upload", "resource.reject"]
    note = Notification.objects.get(recipient=people["enterprise"])
    assert (note.title, note.params) == ("Resource rejected by the school: %(title)s", {"title": "r.pdf"})
    assert note.url == reverse("teachers:resource_detail", args=[resource.pk])


def test_moderation_page_counts_and_decides(client, people):
    admin = people["school_admin"]
    first = _upload(people["enterprise"], title="Campaign review")
    second = _upload(people["industry"], title="Skill standard")
    _upload(people["teacher"], visibility="school")  # published at once: not in the queue
    assert moderation_pending_count() == 2
    queue = {q["kind"]: q for q in moderation_queues()}["resource"]
    assert queue["count"] == 2 and [i["id"] for i in queue["items"]] == [first.pk, second.pk]
    assert queue["items"][0]["by"] == people["enterprise"].name_for_display
    assert queue["items"][0]["url"] == reverse("teachers:resource_detail", args=[first.pk])
    client.force_login(admin)
    page = client.get(reverse("admin_portal:moderation"))
    html = page.content.decode()
    assert f'data-item="resource-{first.pk}"' in html and 'data-queue="resource">2<' in html
    assert f'href="{reverse("teachers:resource_detail", args=[first.pk])}"' in html
    dashboard = client.get(reverse("admin_portal:dashboard")).content.decode()
    assert 'class="badge rounded-pill text-bg-warning nav-badge">2<' in dashboard

    refused = client.post(reverse("admin_portal:moderation"), {"kind": "resource", "id": first.pk,
                                                               "decision": "reject", "note": ""})
    assert refused.status_code == 400
    done = client.post(reverse("admin_portal:moderation"), {"kind": "resource", "id": first.pk,
                                                            "decision": "approve"})
    assert done.status_code == 302 and done.url.endswith("#resources")
    done = client.post(reverse("admin_portal:moderation"), {"kind": "resource", "id": second.pk,
                                                            "decision": "reject", "note": "Outdated standard"})
    assert done.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.review_note) == (Status.PUBLISHED, Status.REJECTED,
                                                                 "Outdated standard")
    assert Notification.objects.get(recipient=people["enterprise"]).title == "Resource published: %(title)s"
    assert Notification.objects.get(recipient=people["industry"]).title == "Resource rejected by the school: %(title)s"
    again = client.post(reverse("admin_portal:moderation"), {"kind": "resource", "id": first.pk,
                                                             "decision": "approve"})
    assert again.status_code == 400  # decided already
    assert client.post(reverse("admin_portal:moderation"), {"kind": "resource", "id": 999999,
                                                            "decision": "approve"}).status_code == 404
    assert moderation_pending_count() == 0
    assert {q["kind"]: q for q in moderation_queues()}["resource"]["count"] == 0


def test_notifications_read_in_chinese(people):
    from django.utils import translation

    resource = _upload(people["enterprise"], title="双11复盘")
    services.resource_review(actor=people["school_admin"], resource=resource, approve=True)
    note = Notification.objects.get(recipient=people["enterprise"])
    waiting = Notification.objects.get(recipient=people["school_admin"])
    with translation.override("zh-hans"):
        assert note.title_text == "资源已发布：双11复盘"
        assert waiting.title_text == "待审核资源：双11复盘"
