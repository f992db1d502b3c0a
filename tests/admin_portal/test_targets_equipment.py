"""Construction-plan targets (actuals, status, edits), bookings without double booking, the
moderation queue, service records and the audit-log viewer."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from admin_portal.models import Booking, Target
from admin_portal.targets import Status, target_status
from tests.admin_portal.world import YEAR

pytestmark = pytest.mark.django_db


def test_status_rules():
    today = datetime.date(2026, 7, 1)  # 182 of 365 days of 2026 elapsed
    assert target_status(target=10, actual=10, unit="count", year=2025, today=today) == Status.MET
    assert target_status(target=10, actual=9, unit="count", year=2025, today=today) == Status.BEHIND
    assert target_status(target=10, actual=5, unit="count", year=2026, today=today) == Status.ON_TRACK
    assert target_status(target=10, actual=4, unit="count", year=2026, today=today) == Status.BEHIND
    assert target_status(target=0.7, actual=0.64, unit="rate", year=2026, today=today) == Status.ON_TRACK
    assert target_status(target=0.7, actual=0.6, unit="rate", year=2026, today=today) == Status.BEHIND
    assert target_status(target=0.7, actual=0.0, unit="rate", year=2027, today=today) == Status.ON_TRACK
    assert target_status(target=5, actual=0, unit="count", year=2027, today=today) == Status.ON_TRACK
    assert target_status(target=5, actual=None, unit="count", year=2025, today=today) == Status.NO_DATA


def test_targets_actuals_and_statuses_for_a_past_year(client, world):
    client.force_login(world.admin)
    body = client.get(reverse("api:dashboard_targets"), {"year": YEAR}).json()
    by_code = {t["code"]: t for t in body}
    assert set(by_code) >= {"practice_bases", "teachers_serving_enterprises", "enterprises_served",
                            "cooperation_courses", "golden_courses", "national_awards"}
    assert by_code["teachers_serving_enterprises"] | {"name": ""} == {
        "code": "teachers_serving_enterprises", "name": "", "target": 0.5, "actual": 0.5, "unit": "rate",
        "status": "met"}
    assert (by_code["enterprises_served"]["actual"], by_code["enterprises_served"]["status"]) == (3, "behind")
    assert (by_code["cooperation_courses"]["actual"], by_code["cooperation_courses"]["status"]) == (1, "behind")
    assert (by_code["national_awards"]["actual"], by_code["national_awards"]["target"]) == (1, 3)
    assert (by_code["golden_courses"]["actual"], by_code["golden_courses"]["status"]) == (0, "behind")  # none recorded
    assert client.get(reverse("api:dashboard_targets"), {"year": "1900"}).status_code == 400


def test_admin_edits_a_target_and_the_status_follows(client, world):
    client.force_login(world.admin)
    url = reverse("admin_portal:targets")
    response = client.post(url, {"year": YEAR, "code": "enterprises_served", "value": "3", "unit": "count"})
    assert response.status_code == 302
    target = Target.objects.get(year=YEAR, code="enterprises_served")
    assert target.value == 3 and target.updated_by == world.admin
    page = client.get(url, {"year": YEAR})
    line = {t.code: t for t in page.context["lines"]}["enterprises_served"]
    assert (line.target, line.status) == (3, "met")
    from accounts.models import AuditLog

    assert AuditLog.objects.filter(action="target.create", target_id=str(target.pk)).exists()


@pytest.mark.parametrize("data,field", [
    ({"value": "-1", "unit": "count"}, "value"),
    ({"value": "5", "unit": "rate"}, "unit"),
    ({"value": "abc", "unit": "count"}, "value"),
])
def test_bad_target_edits_are_400_form_errors_and_write_nothing(client, world, data, field):
    client.force_login(world.admin)
    response = client.post(reverse("admin_portal:targets"), {"year": YEAR, "code": "enterprises_served", **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Target.objects.filter(year=YEAR, code="enterprises_served").exists()


def test_rate_target_above_one_is_refused(world):
    from accounts.errors import ApplicationError
    from admin_portal.services import target_set

    with pytest.raises(ApplicationError) as info:
        target_set(actor=world.admin, year=YEAR, code="teachers_serving_enterprises", value="70", unit="rate")
    assert "value" in info.value.extra


def test_seeded_defaults_are_the_plans_values(db):
    from admin_portal.services import targets_seed_defaults

    assert targets_seed_defaults() == 18
    assert targets_seed_defaults() == 0
    values = dict(Target.objects.filter(code="practice_bases").values_list("year", "value"))
    assert values == {2025: 5, 2026: 8, 2027: 10}
    assert float(Target.objects.get(year=2027, code="teachers_serving_enterprises").value) == 0.8


def test_teacher_books_a_room_once_and_a_clash_is_a_clean_error(client, world):
    teacher = world.teachers["t1"]  # heads A1
    client.force_login(teacher)
    url = reverse("admin_portal:equipment")
    data = {"room": world.objects["room"].pk, "school_class": world.classes["A1"].pk,
            "starts_at": "2026-04-06T08:00", "ends_at": "2026-04-06T10:00", "purpose": "实训"}
    assert client.post(url, data).status_code == 302
    clash = client.post(url, {**data, "starts_at": "2026-04-06T09:30", "ends_at": "2026-04-06T11:00"})
    assert clash.status_code == 409
    assert "already booked" in clash.content.decode() or "已被预约" in clash.content.decode()
    assert Booking.objects.filter(starts_at__year=2026).count() == 1
    # back to back is fine
    assert client.post(url, {**data, "starts_at": "2026-04-06T10:00", "ends_at": "2026-04-06T11:00"}).status_code == 302
    # a class they do not teach: 403; no class or studio, or an end before the start: 400
    assert client.post(url, {**data, "school_class": world.classes["B1"].pk,
                             "starts_at": "2026-05-01T08:00", "ends_at": "2026-05-01T09:00"}).status_code == 403
    assert client.post(url, {**data, "school_class": "", "starts_at": "2026-05-02T08:00",
                             "ends_at": "2026-05-02T09:00"}).status_code == 400
    assert client.post(url, {**data, "starts_at": "2026-05-03T10:00", "ends_at": "2026-05-03T09:00"}).status_code == 400
    assert Booking.objects.filter(starts_at__year=2026).count() == 2
    page = client.get(url)
    rooms = {r["room"].code: r for r in page.context["rooms"]}
    assert rooms["r1"]["bookings"] == 2


def test_moderation_queue_counts_and_decisions_call_the_owning_services(client, world):
    from projects.models import Project
    from tests.projects import factories as pf

    pending = pf.project(world.enterprises["E1"], world.admin, status=Project.Status.PENDING)
    client.force_login(world.admin)
    page = client.get(reverse("admin_portal:moderation"))
    queues = {q["kind"]: q for q in page.context["queues"]}
    assert queues["project"]["count"] == 1 and queues["posting"]["count"] == 0
    html = client.get(reverse("admin_portal:dashboard")).content.decode()
    assert 'class="badge rounded-pill text-bg-warning nav-badge">1<' in html
    refused = client.post(reverse("admin_portal:moderation"), {"kind": "project", "id": pending.pk,
                                                               "decision": "reject", "note": ""})
    assert refused.status_code == 400  # the projects service wants a reason
    done = client.post(reverse("admin_portal:moderation"), {"kind": "project", "id": pending.pk,
                                                            "decision": "approve"})
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Project.Status.OPEN
    assert client.post(reverse("admin_portal:moderation"), {"kind": "project", "id": 999999,
                                                            "decision": "approve"}).status_code == 404


def test_service_records_feed_the_plan_figures(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("admin_portal:services"), {
        "kind": "technical_service", "enterprise": world.enterprises["E4"].pk, "provided_on": f"{YEAR}-09-01",
        "title": "数据看板", "hours": "4"})
    assert response.status_code == 302
    body = client.get(reverse("api:dashboard_kpis"), {"year": YEAR}).json()
    assert body["enterprises_served"] == 4
    bad = client.post(reverse("admin_portal:services"), {
        "kind": "consultancy", "enterprise": world.enterprises["E4"].pk, "provided_on": f"{YEAR}-09-01",
        "title": "无教师", "hours": "1"})
    assert bad.status_code == 400 and "teacher" in bad.context["form"].errors


def test_audit_log_viewer_filters(client, world):
    from accounts.models import AuditLog

    AuditLog.objects.create(actor=world.admin, action="target.update", target_type="admin_portal.target", target_id="7")
    AuditLog.objects.create(actor=world.teachers["t1"], action="booking.create", target_type="admin_portal.booking",
                            target_id="3")
    client.force_login(world.admin)
    url = reverse("admin_portal:audit_log")
    assert len(client.get(url).context["page"].object_list) >= 2
    by_actor = client.get(url, {"actor": "dw_t1"}).context["page"].object_list
    assert [e.action for e in by_actor] == ["booking.create"]
    by_target = client.get(url, {"target": "admin_portal.target:7"}).context["page"].object_list
    assert [e.action for e in by_target] == ["target.update"]
    assert list(client.get(url, {"action": "booking", "date_to": "2000-01-01"}).context["page"].object_list) == []
    assert client.get(url, {"date_from": "2026-02-01", "date_to": "2026-01-01"}).status_code == 400
    assert client.get(url, {"date_from": "not-a-date"}).status_code == 400


def test_equipment_page_lists_bookable_classes_keeps_the_choice_and_pages_bookings(client, world, monkeypatch):
    from admin_portal import views
    from teachers.models import SchoolClass

    monkeypatch.setattr(views, "BOOKINGS_PER_PAGE", 1)
    klass = world.classes["A1"]
    SchoolClass.objects.filter(pk=klass.pk).update(name='A1 <b>"x"</b>')
    teacher = world.teachers["t1"]  # heads A1
    client.force_login(teacher)
    url = reverse("admin_portal:equipment")
    page = client.get(url).content.decode()
    assert f'<option value="{klass.pk}">A1 &lt;b&gt;&quot;x&quot;&lt;/b&gt;</option>' in page  # escaped
    assert f'value="{world.classes["B1"].pk}"' not in page  # not a class they may book for
    # a refused booking keeps the class chosen
    refused = client.post(url, {"room": world.objects["room"].pk, "school_class": klass.pk,
                                "starts_at": "2026-05-03T10:00", "ends_at": "2026-05-03T09:00"})
    assert refused.status_code == 400
    assert f'<option value="{klass.pk}" selected>' in refused.content.decode()
    for day in (6, 7):
        assert client.post(url, {"room": world.objects["room"].pk, "school_class": klass.pk,
                                 "starts_at": f"2026-04-0{day}T08:00", "ends_at": f"2026-04-0{day}T09:00"}).status_code == 302
    first = client.get(url)
    assert len(first.context["bookings"].object_list) == 1 and 'id="bookings-pages"' in first.content.decode()
    second = client.get(url, {"bookings": "2"})
    assert second.context["bookings"].object_list[0].pk != first.context["bookings"].object_list[0].pk
