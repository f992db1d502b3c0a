"""The dashboard page, drill-down, API, exports and PDF: rights, bad input, constant queries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from tests.admin_portal.world import YEAR, more_students

pytestmark = pytest.mark.django_db


def test_admin_sees_cards_groups_and_charts(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("admin_portal:school_dashboard"), {"year": YEAR})
    assert response.status_code == 200
    cards = {c.kpi.code: c for c in response.context["cards"]}
    assert cards["students"].figure.value == 6
    assert cards["students"].groups == {"ec": cards["students"].groups["ec"], "bd": cards["students"].groups["bd"]}
    html = response.content.decode()
    assert 'data-kpi="teachers_serving_enterprises"' in html
    assert "50.0 %" in html  # teachers serving enterprises
    assert 'id="dashboard-charts"' in html and "vendor/chartjs/chart.umd.js" in html
    assert 'data-bs-toggle="tooltip"' in html
    charts = {c["id"] for c in response.context["charts"]}
    assert {"chart-students", "chart-rates", "chart-competition_awards", "chart-rooms"} <= charts


def test_major_scope_groups_by_class(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("admin_portal:school_dashboard"), {"year": YEAR, "major": "ec"})
    assert response.status_code == 200
    assert response.context["level"] == "class"
    cards = {c.kpi.code: c for c in response.context["cards"]}
    assert cards["students"].groups[world.classes["A1"].pk].value == 3


@pytest.mark.parametrize("params,field", [({"year": "1999"}, "year"), ({"year": "abc"}, "year"),
                                          ({"major": "nope"}, "major"), ({"class": "999999"}, "class")])
def test_unknown_year_major_or_class_is_400_with_form_error(client, world, params, field):
    client.force_login(world.admin)
    response = client.get(reverse("admin_portal:school_dashboard"), params)
    assert response.status_code == 400
    assert field in response.context["errors"]


def test_teacher_sees_only_the_class_they_head(client, world):
    client.force_login(world.teachers["t1"])
    url = reverse("admin_portal:school_dashboard")
    assert client.get(url, {"year": YEAR}).status_code == 403
    assert client.get(url, {"year": YEAR, "major": "ec"}).status_code == 403
    assert client.get(url, {"year": YEAR, "class": world.classes["A2"].pk}).status_code == 403
    response = client.get(url, {"year": YEAR, "class": world.classes["A1"].pk})
    assert response.status_code == 200
    codes = {c.kpi.code for c in response.context["cards"]}
    assert "students" in codes and "teachers_serving_enterprises" not in codes
    api = client.get(reverse("api:dashboard_kpis"), {"year": YEAR})
    assert api.status_code == 403 and api.json()["error"]["status"] == 403
    client.force_login(world.teachers["t2"])
    assert client.get(url, {"year": YEAR, "class": world.classes["A1"].pk}).status_code == 403


def test_drill_down_major_class_student(client, world):
    client.force_login(world.admin)
    url = reverse("admin_portal:kpi_detail", args=["students"])
    school = client.get(url, {"year": YEAR})
    assert school.context["drill"]["level"] == "major"
    assert {g["key"]: g["figure"].value for g in school.context["drill"]["groups"]} == {"bd": 1, "ec": 5}
    major = client.get(url, {"year": YEAR, "major": "ec"})
    assert major.context["drill"]["level"] == "class"
    klass = client.get(url, {"year": YEAR, "major": "ec", "class": world.classes["A1"].pk})
    rows = klass.context["drill"]["rows"]
    assert klass.context["drill"]["level"] == "student"
    assert sorted(r.student_number for r in rows) == ["DW-a0", "DW-a1", "DW-a2"]
    assert "DW-a0" in klass.content.decode()
    assert client.get(reverse("admin_portal:kpi_detail", args=["nope"]), {"year": YEAR}).status_code == 404


def test_queries_stay_constant_as_students_grow(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.admin)
    url = reverse("admin_portal:school_dashboard")
    with CaptureQueriesContext(connection) as before:
        assert client.get(url, {"year": YEAR}).status_code == 200
    more_students(30, prefix="QQ")
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url, {"year": YEAR}).status_code == 200
    api = reverse("api:dashboard_kpis")
    with CaptureQueriesContext(connection) as small:
        client.get(api, {"year": YEAR, "major": "ec"})
    more_students(30, prefix="QR")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(api, {"year": YEAR, "major": "ec"}).status_code == 200
    drill = reverse("admin_portal:kpi_detail", args=["competition_awards"])
    params = {"year": YEAR, "major": "ec", "class": world.classes["A1"].pk}
    with CaptureQueriesContext(connection) as rows_before:
        client.get(drill, params)
    more_students(20, prefix="QS")
    with django_assert_max_num_queries(len(rows_before.captured_queries)):
        client.get(drill, params)


def test_api_kpis_shape_rates_and_nulls(client, world):
    client.force_login(world.admin)
    body = client.get(reverse("api:dashboard_kpis"), {"year": YEAR, "major": "ec"}).json()
    assert body["year"] == YEAR and body["major"] == "ec"
    assert body["students"] == 5
    assert body["evaluation_excellence_rate"] == 0.5
    assert body["teachers_serving_enterprises"] == 0.5  # school-wide
    empty = client.get(reverse("api:dashboard_kpis"), {"year": 2023}).json()
    assert empty["evaluation_excellence_rate"] is None
    bad = client.get(reverse("api:dashboard_kpis"), {"major": "nope"})
    assert bad.status_code == 400 and "major" in bad.json()["error"]["fields"]


def test_xlsx_exports_round_trip_and_are_formula_safe(client, world):
    from openpyxl import load_workbook

    world.students["a0"].user.display_name = "=HYPERLINK(\"http://evil\")"
    world.students["a0"].user.save(update_fields=["display_name"])
    client.force_login(world.admin)
    response = client.get(reverse("admin_portal:export", args=["kpis"]), {"year": YEAR})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows[0]) == 8  # code, name, group, value, numerator, denominator, unit, definition
    students = [r for r in rows if r[0] == "students"]
    assert students[0][3] == 6
    assert sorted(r[3] for r in students[1:]) == [1, 5]  # per major
    excellence = [r for r in rows if r[0] == "evaluation_excellence_rate"][0]
    assert (excellence[4], excellence[5]) == (2, 3)
    drill = client.get(reverse("admin_portal:export", args=["kpi"]),
                       {"code": "students", "year": YEAR, "major": "ec", "class": world.classes["A1"].pk})
    sheet = load_workbook(io.BytesIO(drill.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "=HYPERLINK(\"http://evil\")" in names
    for row in sheet.iter_rows(min_row=2):
        assert row[1].data_type == "s"  # stored as text, never a formula
    for table in ("targets", "rooms", "equipment", "bookings", "services", "audit", "moderation"):
        r = client.get(reverse("admin_portal:export", args=[table]), {"year": YEAR})
        assert r.status_code == 200, table
        assert list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)), table
    bookings = load_workbook(io.BytesIO(client.get(reverse("admin_portal:export", args=["bookings"])).content)).active
    assert len(list(bookings.iter_rows(min_row=2))) == 4
    assert client.get(reverse("admin_portal:export", args=["nope"])).status_code == 404


def test_pdf_report_has_charts(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("admin_portal:report_pdf"), {"year": YEAR})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response.content.count(b"/Subtype /Image") >= 3
    assert client.get(reverse("admin_portal:report_pdf"), {"year": "1900"}).status_code == 400
    client.force_login(world.teachers["t1"])
    assert client.get(reverse("admin_portal:report_pdf"), {"year": YEAR}).status_code == 403


def test_warm_task_fills_the_cache_so_the_page_runs_no_figure_query(client, world, settings):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from admin_portal.selectors import dashboard_figures_warm
    from admin_portal.tasks import dashboard_figures_warm_task

    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    client.force_login(world.admin)
    url = reverse("admin_portal:school_dashboard")
    with CaptureQueriesContext(connection) as cold:
        client.get(url, {"year": YEAR})
    cache.clear()
    assert dashboard_figures_warm_task.apply().get() > 0  # this year's figures, as beat runs it
    assert dashboard_figures_warm(YEAR) > 0
    with CaptureQueriesContext(connection) as warm:
        response = client.get(url, {"year": YEAR})
    assert response.status_code == 200
    assert len(warm.captured_queries) < len(cold.captured_queries) - 10
    assert {c.kpi.code: c for c in response.context["cards"]}["students"].figure.value == 6
    cache.clear()


def test_school_wide_figures_list_the_teachers_enterprises_and_courses_behind_them(client, world):
    client.force_login(world.admin)

    def rows(code):
        response = client.get(reverse("admin_portal:kpi_detail", args=[code]), {"year": YEAR})
        assert response.status_code == 200
        return response.context["drill"]["school_rows"]

    assert [who for who, _why in rows("teachers_serving_enterprises")] == [
        world.teachers["t1"].name_for_display, world.teachers["t2"].name_for_display]
    assert sorted(who for who, _why in rows("enterprises_served")) == sorted(
        world.enterprises[k].name for k in ("E1", "E2", "E3"))
    assert rows("cooperation_courses") == [("DW-C1 网店运营", "v1")]
    client.force_login(world.teachers["t1"])
    assert client.get(reverse("admin_portal:kpi_detail", args=["enterprises_served"]),
                      {"year": YEAR, "class": world.classes["A1"].pk}).status_code == 403


def test_a_major_with_many_classes_pages_its_group_table_and_charts(client, world, monkeypatch):
    """A large major's hundreds of classes come a page at a time; the pager keeps the filters."""
    from admin_portal import views
    from teachers.models import SchoolClass

    monkeypatch.setattr(views, "GROUPS_PER_PAGE", 2)
    client.force_login(world.admin)
    url = reverse("admin_portal:school_dashboard")
    first = client.get(url, {"year": YEAR, "major": "ec"})
    assert first.status_code == 200
    ordered = list(SchoolClass.objects.filter(major__code="ec").order_by("-intake_year", "code"))
    assert len(ordered) == 3
    assert [row["key"] for row in first.context["group_rows"]] == [c.pk for c in ordered[:2]]
    students_chart = next(c for c in first.context["charts"] if c["id"] == "chart-students")
    assert students_chart["labels"] == [c.name for c in ordered[:2]]
    html = first.content.decode()
    assert 'id="groups-pages"' in html and f"?year={YEAR}&amp;major=ec&groups=2" in html
    second = client.get(url, {"year": YEAR, "major": "ec", "groups": "2"})
    assert [row["key"] for row in second.context["group_rows"]] == [ordered[2].pk]
    assert client.get(url, {"year": YEAR, "major": "ec", "groups": "x"}).status_code == 200  # a page, not an error
