"""Courses, programs, weights and offerings edited in the site by owners and administrators."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role
from students.models import CompetencyAttainment
from teachers.curriculum import services
from teachers.models import Course, CourseCompetencyWeight, CourseOffering, GradeComponent, Program, ProgramCourse
from teachers.reform import services as reform_services
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_student, make_term
from tests.teachers.reform_world import new_content, reform_world

pytestmark = pytest.mark.django_db


def test_teacher_creates_and_owns_a_course_admin_sets_owners(client):
    teacher = UserFactory(role=Role.TEACHER, username="cu_teacher")
    other = UserFactory(role=Role.TEACHER, username="cu_other")
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="cu_admin")
    major = make_major()
    client.force_login(teacher)
    response = client.post(reverse("teachers:course_create"), {"code": "CU1", "name": "直播电商", "kind": "practice",
                                                                "major": major.pk})
    course = Course.objects.get(code="CU1")
    assert response.status_code == 302 and list(course.owners.all()) == [teacher]
    assert client.post(reverse("teachers:course_create"), {"code": "cu1", "name": "dup", "kind": "practice"}
                       ).status_code == 400
    response = client.post(reverse("teachers:course_edit", args=[course.pk]), {
        "code": "CU1", "name": "直播电商实务", "kind": "practice", "major": major.pk, "owners": [other.pk]})
    course.refresh_from_db()
    assert response.status_code == 302 and course.name == "直播电商实务"
    assert list(course.owners.all()) == [teacher]  # owners field is not offered to teachers: ignored
    with pytest.raises(NotPermitted):
        services.course_update(actor=teacher, course=course, data={}, owners=[other])
    client.force_login(other)
    assert client.get(reverse("teachers:course_edit", args=[course.pk])).status_code == 404  # neither owns nor teaches it: answered as missing
    services.course_update(actor=admin, course=course, data={}, owners=[teacher, other])
    assert course.owners.count() == 2
    with pytest.raises(ApplicationError):
        services.course_update(actor=admin, course=course, data={}, owners=[admin])


def test_program_course_weights_are_validated_once_and_move_the_radar(client):
    w = reform_world("cu")
    program = w["programs"][2024]
    url = reverse("teachers:program_detail", args=[program.pk])
    comps = {c.code: c.pk for c in w["major"].competencies.all()}
    client.force_login(w["owner"])
    for bad in ({f"w-{comps['a']}": "-1"}, {f"w-{comps['a']}": "0"}, {f"w-{comps['a']}": "x"}):
        response = client.post(url, {"course": w["course"].pk, "credits": "4", "semester": "1", **bad})
        assert response.status_code == 400
    assert client.post(url, {"course": w["course"].pk, "credits": "4", "semester": "9",
                             f"w-{comps['a']}": "1"}).status_code == 400
    student = w["students"][2024][0]
    before = CompetencyAttainment.objects.get(student=student, competency__code="c").attainment
    response = client.post(url, {"course": w["course"].pk, "credits": "4", "semester": "1",
                                 f"w-{comps['a']}": "1", f"w-{comps['c']}": "2"})
    assert response.status_code == 302
    pc = ProgramCourse.objects.get(program=program, course=w["course"])
    assert dict(CourseCompetencyWeight.objects.filter(program_course=pc).values_list("competency__code", "weight")) \
        == {"a": Decimal("1.00"), "c": Decimal("2.00")}
    assert CompetencyAttainment.objects.get(student=student, competency__code="c").attainment != before
    client.force_login(w["other_teacher"])  # does not own RF1
    response = client.post(url, {"course": w["course"].pk, "credits": "5", "semester": "1", f"w-{comps['a']}": "1"})
    assert response.status_code == 403
    admin = w["admin"]
    client.force_login(admin)
    assert client.post(reverse("teachers:program_create"), {"major": w["major"].pk, "intake_year": 2024,
                                                            "name": "dup"}).status_code == 400
    assert client.post(reverse("teachers:program_create"), {"major": w["major"].pk, "intake_year": 2027,
                                                            "name": "2027"}).status_code == 302
    assert Program.objects.filter(intake_year=2027).exists()


def test_offering_gets_the_components_of_the_version_in_force():
    w = reform_world("of")
    reform = reform_services.reform_create(actor=w["owner"], course=w["course"], title="v1", content=new_content())
    reform_services.reform_invite(actor=w["owner"], reform=reform, reviewers=[w["master"]])
    reform_services.reform_submit(actor=w["owner"], reform=reform)
    reform_services.reform_vote(actor=w["master"], reform=reform, decision="approve")
    reform_services.reform_approve(actor=w["admin"], reform=reform, from_intake_year=2025)
    new_class = make_class(w["major"], 2025)
    make_student(new_class)
    old_class = make_class(w["major"], 2024)
    term = make_term(2026, 1)
    offering = services.offering_add(actor=w["owner"], course=w["course"], term=term, school_class=new_class,
                                     teacher=w["owner"])
    assert list(GradeComponent.objects.filter(offering=offering).values_list("code", "weight")) == [
        ("tasks", Decimal("40.00")), ("project", Decimal("60.00"))]
    assert offering.enrolments.count() == 1
    old = services.offering_add(actor=w["admin"], course=w["course"], term=term, school_class=old_class, teacher=None)
    assert not GradeComponent.objects.filter(offering=old).exists()
    with pytest.raises(ApplicationError):
        services.offering_add(actor=w["owner"], course=w["course"], term=term, school_class=new_class, teacher=None)
    with pytest.raises(NotPermitted):
        services.offering_add(actor=w["other_teacher"], course=w["course"], term=make_term(2026, 2),
                              school_class=new_class, teacher=None)
    assert CourseOffering.objects.filter(term=term).count() == 2
