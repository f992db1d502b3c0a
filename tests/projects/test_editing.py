"""Studios and order classes created and edited in the site (issue 12 leftovers): who may,
validation with nothing half-written, staff of a studio kept exact; and the projects
models registered in the Django admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from accounts.models import Role
from projects import editing
from projects.cohort_models import OrderClass, OrderClassMember
from projects.models import Studio, StudioMember
from tests.factories import UserFactory
from tests.projects import factories as pf
from tests.radar.builders import make_major

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    org, hr = pf.enterprise()
    _other_org, other_hr = pf.enterprise()
    return {"teacher": UserFactory(role=Role.TEACHER, username="ed_teacher"),
            "teacher2": UserFactory(role=Role.TEACHER, username="ed_teacher2"),
            "admin": UserFactory(role=Role.SCHOOL_ADMIN, username="ed_admin"),
            "student": UserFactory(role=Role.STUDENT, username="ed_student"),
            "org": org, "hr": hr, "other_hr": other_hr, "major": make_major()}


def _studio_post(p, **over):
    return {"code": "live-commerce", "title": "直播电商工作室", "title_en": "Live commerce", "skill_area": "live_commerce",
            "major": p["major"].pk, "description": "Live selling", "is_open": "on", "mentors": [p["hr"].pk], **over}


def test_teacher_creates_and_leads_a_studio_then_edits_it(people, client):
    p = people
    client.force_login(p["teacher"])
    assert client.get(reverse("projects:studios")).content.count(b'id="new-studio"') == 1
    response = client.post(reverse("projects:studio_create"), _studio_post(p))
    assert response.status_code == 302, response.content
    studio = Studio.objects.get(code="live-commerce")
    staff = set(StudioMember.objects.filter(studio=studio).values_list("user__username", "role", "status"))
    assert staff == {("ed_teacher", "lead", "admitted"), (p["hr"].username, "mentor", "admitted")}
    detail = client.get(reverse("projects:studio_detail", args=[studio.pk]))
    assert b'id="edit-studio"' in detail.content
    # edit: a second lead, no mentor, closed
    response = client.post(reverse("projects:studio_edit", args=[studio.pk]),
                           _studio_post(p, leads=[p["teacher"].pk, p["teacher2"].pk], mentors=[], is_open=""))
    assert response.status_code == 302
    studio.refresh_from_db()
    assert not studio.is_open
    assert set(StudioMember.objects.filter(studio=studio).values_list("user__username", "role")) == {
        ("ed_teacher", "lead"), ("ed_teacher2", "lead")}
    # a student member stays; a teacher who does not lead may not edit
    StudioMember.objects.create(studio=studio, user=p["student"], role="student", status="admitted")
    client.force_login(UserFactory(role=Role.TEACHER))
    assert client.get(reverse("projects:studio_edit", args=[studio.pk])).status_code == 403
    client.force_login(p["admin"])
    assert client.post(reverse("projects:studio_edit", args=[studio.pk]),
                       _studio_post(p, leads=[p["teacher2"].pk], mentors=[])).status_code == 302
    assert set(StudioMember.objects.filter(studio=studio).values_list("user__username", "role")) == {
        ("ed_teacher2", "lead"), ("ed_student", "student")}


def test_studio_refusals_keep_nothing(people, client):
    p = people
    client.force_login(p["admin"])
    assert client.post(reverse("projects:studio_create"), _studio_post(p)).status_code == 400  # no lead
    client.force_login(p["teacher"])
    assert client.post(reverse("projects:studio_create"), _studio_post(p, mentors=[p["student"].pk])).status_code == 400
    client.post(reverse("projects:studio_create"), _studio_post(p))
    assert client.post(reverse("projects:studio_create"), _studio_post(p, title="Again")).status_code == 400  # code
    assert Studio.objects.count() == 1 and StudioMember.objects.count() == 2
    client.force_login(p["hr"])
    assert client.get(reverse("projects:studio_create")).status_code == 403


def _order_class_post(p, **over):
    return {"title": "电商订单班", "title_en": "E-commerce order class", "major": p["major"].pk, "intake_year": 2025,
            "capacity": 30, "criteria": "Interview and grades", "description": "", "mentors": [p["hr"].pk], **over}


def test_order_classes_created_and_edited_by_sponsor_or_admin(people, client):
    p = people
    client.force_login(p["hr"])
    assert b'id="new-order-class"' in client.get(reverse("projects:order_classes")).content
    response = client.post(reverse("projects:order_class_create"), _order_class_post(p))
    assert response.status_code == 302, response.content
    oc = OrderClass.objects.get()
    assert oc.enterprise == p["org"] and list(oc.mentors.all()) == [p["hr"]]
    assert b'id="edit-order-class"' in client.get(reverse("projects:order_class_detail", args=[oc.pk])).content
    edit = reverse("projects:order_class_edit", args=[oc.pk])
    assert client.post(edit, _order_class_post(p, capacity=20, status="running")).status_code == 302
    oc.refresh_from_db()
    assert oc.capacity == 20 and oc.status == "running"
    # a mentor from another enterprise, and a capacity below the members: refused, unchanged
    assert client.post(edit, _order_class_post(p, mentors=[p["other_hr"].pk], status="running")).status_code == 400
    from tests.growth import factories as growth

    for _ in range(3):
        OrderClassMember.objects.create(order_class=oc, student=growth.student())
    assert client.post(edit, _order_class_post(p, capacity=2, status="running")).status_code == 400
    oc.refresh_from_db()
    assert oc.capacity == 20 and list(oc.mentors.all()) == [p["hr"]]
    # another enterprise does not see it; a teacher cannot edit; an administrator chooses the sponsor
    client.force_login(p["other_hr"])
    assert client.get(edit).status_code == 404
    client.force_login(p["teacher"])
    assert client.get(edit).status_code == 403
    client.force_login(p["admin"])
    assert client.post(edit, _order_class_post(p, title="Renamed", status="running")).status_code == 302
    assert client.post(reverse("projects:order_class_create"), _order_class_post(p)).status_code == 400  # no sponsor
    response = client.post(reverse("projects:order_class_create"), _order_class_post(p, enterprise=p["org"].pk))
    assert response.status_code == 302 and OrderClass.objects.count() == 2
    with pytest.raises(Exception):  # noqa: B017 - the service refuses bad capacities whatever the caller
        editing.order_class_update(actor=p["admin"], order_class=oc, title="x", major=p["major"], intake_year=2025,
                                   capacity=0, criteria="c", status="running")


def test_every_projects_model_is_in_the_admin(client):
    superuser = UserFactory(role=Role.SCHOOL_ADMIN, username="ed_super", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    inline = {i.model for model_admin in admin.site._registry.values() for i in model_admin.inlines}
    for model in apps.get_app_config("projects").get_models():
        if model._meta.auto_created:
            continue
        if model in inline and model not in admin.site._registry:
            continue  # edited on its parent's page
        assert model in admin.site._registry, model
        url = reverse(f"admin:projects_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
