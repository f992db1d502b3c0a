"""Every KPI written for the dashboard, against the hand-built school of world.py (counts by eye),
including zero denominators."""

from __future__ import annotations

import pytest

from accounts.dashboard import Scope, kpi_registry
from tests.admin_portal.world import YEAR

pytestmark = pytest.mark.django_db


def fig(code, scope=None, group_by=None):
    return kpi_registry()[code].figures(scope or Scope(year=YEAR), group_by)


def values(code, group_by, scope=None):
    return {k: f.value for k, f in fig(code, scope, group_by).items()}


def test_students_by_school_major_and_class(world):
    assert fig("students")[None].value == 6
    assert values("students", "major") == {"ec": 5, "bd": 1}
    c = world.classes
    assert values("students", "class") == {c["A1"].pk: 3, c["A2"].pk: 2, c["B1"].pk: 1}
    assert fig("students", Scope(year=YEAR, major_code="ec"))[None].value == 5
    assert fig("students", Scope(year=YEAR, major_code="ec", class_id=c["A2"].pk))[None].value == 2
    assert fig("students", Scope(year=2019))[None].value == 1  # only the 2019 cohort (years 2016–2019)


def test_competition_awards_by_level_and_national_awards(world):
    school = fig("competition_awards")[None]
    assert school.value == 3
    assert school.breakdown == {"National": 1, "Provincial": 2}
    assert values("competition_awards", "major") == {"ec": 2, "bd": 1}
    assert fig("national_awards")[None].value == 1
    assert values("national_awards", "major") == {"ec": 1}
    assert fig("national_awards", Scope(year=YEAR - 1))[None].value == 0
    rows = kpi_registry()["competition_awards"].rows(Scope(year=YEAR, major_code="ec", class_id=world.classes["A1"].pk))
    assert [(r.student_number, r.value) for r in rows] == [("DW-a0", "1")]


def test_evaluation_excellence_rate_and_zero_denominator(world):
    school = fig("evaluation_excellence_rate")[None]
    assert (school.numerator, school.denominator) == (2, 3)
    assert values("evaluation_excellence_rate", "major") == {"ec": 0.5, "bd": 1.0}
    empty = fig("evaluation_excellence_rate", Scope(year=2023))[None]
    assert empty.value is None and empty.denominator == 0
    rows = kpi_registry()["evaluation_excellence_rate"].rows(
        Scope(year=YEAR, major_code="ec", class_id=world.classes["A1"].pk))
    assert {(r.student_number, r.value) for r in rows} == {("DW-a0", "1/1"), ("DW-a1", "0/1")}


def test_projects_studios_order_classes_ventures(world):
    assert fig("projects_delivered")[None].value == 2
    assert values("projects_delivered", "major") == {"ec": 2, "bd": 1}
    assert values("projects_delivered", "class", Scope(year=YEAR, major_code="ec")) == {world.classes["A1"].pk: 2}
    assert fig("projects_delivered", Scope(year=YEAR - 1))[None].value == 1

    members = fig("studio_members")[None]
    assert (members.value, members.denominator) == (2, 1)
    assert members.breakdown == {"Marketing": 2}
    assert values("studio_members", "major") == {"ec": 1, "bd": 1}
    assert fig("studios")[None].value == 1

    places = fig("order_class_places")[None]
    assert (places.numerator, places.denominator) == (2, 4)
    assert values("order_class_places", "major") == {"ec": 2}
    assert fig("order_class_places", Scope(year=YEAR, major_code="bd"))[None].denominator == 0

    ventures = fig("entrepreneurship_teams")[None]
    assert ventures.value == 1 and ventures.breakdown == {"Idea": 1}
    assert values("entrepreneurship_teams", "major") == {"ec": 1, "bd": 1}
    assert fig("entrepreneurship_teams", Scope(year=YEAR - 1))[None].value == 0


def test_radar_means_per_competency(world):
    radar = fig("competency_radar", Scope(year=YEAR, major_code="ec"))[None]
    assert radar.breakdown == {"能力op": pytest.approx(0.4), "能力photo": pytest.approx(0.7)}
    assert radar.value == pytest.approx(0.55)  # the mean over the competencies
    assert radar.numerator == 2
    school = fig("competency_radar")[None]
    assert school.breakdown == {}  # the majors' axes are not mixed
    assert values("competency_radar", "major") == {"ec": pytest.approx(0.55)}


def test_plan_figures_teachers_enterprises_cooperation_utilisation(world):
    teachers = fig("teachers_serving_enterprises")[None]
    assert (teachers.numerator, teachers.denominator, teachers.value) == (2, 4, 0.5)
    assert fig("enterprises_served")[None].value == 3
    assert fig("cooperation_courses")[None].value == 1
    assert fig("cooperation_courses", Scope(year=YEAR - 1))[None].value == 0
    use = fig("equipment_utilisation")[None]
    assert (use.numerator, use.denominator) == (360, 10 * 40 * 60)
    assert fig("lab_usage")[None].value == 0
    # school-wide-only figures have no groups
    assert kpi_registry()["teachers_serving_enterprises"].school_wide_only


def test_zero_denominators_without_any_data(db):
    for code in ("teachers_serving_enterprises", "equipment_utilisation", "evaluation_excellence_rate"):
        figure = fig(code)[None]
        assert figure.value is None, code
    assert fig("students")[None].value == 0
    assert fig("enterprises_served")[None].value == 0


def test_lab_usage_counts_jobs_in_the_year(db):
    import datetime

    from deepfake.models import DetectionJob, DetectorModel, Media
    from tests.factories import UserFactory

    user = UserFactory(username="dw_lab", role="student")
    detector = DetectorModel.objects.create(name="d", arch="spectrum", weights_file="x.pt")
    media = Media.objects.create(owner=user, kind="image", file="a.png", content_type="image/png", size_bytes=1,
                                 width=1, height=1, sha256="0" * 64)
    for year in (YEAR, YEAR, YEAR - 1):
        job = DetectionJob.objects.create(media=media, detector=detector, requested_by=user)
        DetectionJob.objects.filter(pk=job.pk).update(created_at=datetime.datetime(year, 5, 1, tzinfo=datetime.UTC))
    usage = fig("lab_usage")[None]
    assert usage.value == 2
    assert usage.breakdown["Detection jobs"] == 2
