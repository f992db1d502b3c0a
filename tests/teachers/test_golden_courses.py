"""Golden courses (issue 15, the construction plan's golden-courses target): a school
administrator records a course's recognition (level and year) on the course form; teachers
cannot; the dashboard counts the courses recognised by a year, and the target reads it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.dashboard import Scope, kpi_registry
from accounts.errors import ApplicationError, NotPermitted
from accounts.models import AuditLog, Role
from admin_portal.selectors import kpi_figures
from teachers.curriculum import services
from teachers.models import Course
from tests.factories import UserFactory
from tests.radar.builders import make_major

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    teacher = UserFactory(role=Role.TEACHER, username="gold_teacher", language="en")
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="gold_admin", language="en")
    major = make_major()
    course = Course.objects.create(code="GOLD1", name="网店运营", major=major, kind="practice")
    course.owners.add(teacher)
    return {"teacher": teacher, "admin": admin, "course": course, "major": major}


def _form(course, **extra):
    return {"code": course.code, "name": course.name, "kind": course.kind, "major": course.major_id, **extra}


def test_an_administrator_records_a_golden_course_on_the_course_form(client, people):
    course = people["course"]
    client.force_login(people["admin"])
    page = client.get(reverse("teachers:course_edit", args=[course.pk])).content.decode()
    assert 'name="golden_level"' in page and 'name="golden_year"' in page
    response = client.post(reverse("teachers:course_edit", args=[course.pk]),
                           _form(course, golden_level="provincial", golden_year=2025))
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.golden_level, course.golden_year) == ("provincial", 2025)
    assert AuditLog.objects.filter(action="course.golden").count() == 1
    detail = client.get(reverse("teachers:course_detail", args=[course.pk])).content.decode()
    assert 'id="golden-course"' in detail and "Provincial golden course · 2025" in detail
    # a level without its year: a form error, nothing saved
    response = client.post(reverse("teachers:course_edit", args=[course.pk]),
                           _form(course, name="改名", golden_level="national"))
    assert response.status_code == 400 and "Give the year the course was recognised" in response.content.decode()
    course.refresh_from_db()
    assert (course.name, course.golden_level) == ("网店运营", "provincial")
    # cleared
    client.post(reverse("teachers:course_edit", args=[course.pk]), _form(course, golden_level=""))
    course.refresh_from_db()
    assert (course.golden_level, course.golden_year) == ("", None)


def test_a_teacher_cannot_record_one(client, people):
    course = people["course"]
    client.force_login(people["teacher"])
    page = client.get(reverse("teachers:course_edit", args=[course.pk])).content.decode()
    assert 'name="golden_level"' not in page
    response = client.post(reverse("teachers:course_edit", args=[course.pk]),
                           _form(course, golden_level="national", golden_year=2025))
    assert response.status_code == 302  # the course is saved; the field is not theirs: ignored
    course.refresh_from_db()
    assert course.golden_level == ""
    with pytest.raises(NotPermitted):
        services.course_golden_set(actor=people["teacher"], course=course, level="national", year=2025)
    with pytest.raises(ApplicationError):
        services.course_golden_set(actor=people["admin"], course=course, level="galactic", year=2025)
    with pytest.raises(ApplicationError):
        services.course_golden_set(actor=people["admin"], course=course, level="school", year=1900)


def test_the_dashboard_counts_courses_recognised_by_the_year_and_the_target_reads_it(client, people):
    major = people["major"]
    services.course_golden_set(actor=people["admin"], course=people["course"], level="provincial", year=2024)
    second = Course.objects.create(code="GOLD2", name="数据分析", major=major)
    services.course_golden_set(actor=people["admin"], course=second, level="national", year=2025)
    Course.objects.create(code="PLAIN", name="普通课程", major=major)
    kpi = kpi_registry()["golden_courses"]
    assert kpi_figures(kpi, Scope(year=2023))[None].value == 0
    assert kpi_figures(kpi, Scope(year=2024))[None].value == 1
    figure = kpi_figures(kpi, Scope(year=2025))[None]
    assert figure.value == 2 and sum(figure.breakdown.values()) == 2
    client.force_login(people["admin"])
    targets = {t["code"]: t for t in client.get(reverse("api:dashboard_targets"), {"year": 2025}).json()}
    assert (targets["golden_courses"]["actual"], targets["golden_courses"]["target"]) == (2, 1)
    assert targets["golden_courses"]["status"] == "met"
