"""Practice moves the radar: a finalised result adds credit · Σ_d m_dk · D_d to earned and
credit · Σ_d m_dk · 100 to possible, in the same formula as the courses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.errors import ApplicationError
from evaluations.practice import subject_credit_set
from students.models import CompetencyAttainment, PracticeEvidence
from students.radar.selectors import radar_explanation
from students.services import radar_recompute
from teachers.models import CourseCompetencyWeight, Enrolment, Program, ProgramCourse
from tests.evaluations.builders import build_world, open_rounds, submit

pytestmark = pytest.mark.django_db


def _attainments(student) -> dict[str, float]:
    return dict(CompetencyAttainment.objects.filter(student=student).values_list("competency__code", "attainment"))


def _finalise_all(world, round_, value, capture):
    with capture(execute=True):
        for invitation in round_.invitations.exclude(party="self").select_related("rater"):
            submit(world, round_, invitation.rater, value)


def test_a_result_moves_the_radar_by_the_formula(django_capture_on_commit_callbacks):
    world = build_world(students=4)
    student = world.students[0]
    # One program course: 3 credits × weight 1 on "operation", graded 60.
    program = Program.objects.create(major=world.major, intake_year=2024, name="p")
    pc = ProgramCourse.objects.create(program=program, course=world.offering.course, credits=Decimal("3"), semester=1)
    CourseCompetencyWeight.objects.create(program_course=pc, competency=world.major.competencies.get(code="operation"),
                                          weight=Decimal("1"))
    Enrolment.objects.filter(offering=world.offering, student=student.user).update(score=Decimal("60"))
    radar_recompute(student_ids=[student.pk])
    assert _attainments(student)["operation"] == pytest.approx(0.6)
    round_ = open_rounds(world)[0]
    assert round_.student_id == student.pk
    _finalise_all(world, round_, 80, django_capture_on_commit_callbacks)
    # "operation" gets basic (m = 1) and quality (m = 0.5) from the default mapping:
    # practice earned = 2 credits · 1.5 · 80 = 240, possible = 2 · 1.5 · 100 = 300
    # attainment = (180 + 240) / (300 + 300) = 0.7
    after = _attainments(student)
    assert after["operation"] == pytest.approx(0.7)
    # "photo" has no course: only practice (basic, m = 0.5) → 80 / 100
    assert after["photo"] == pytest.approx(0.8)
    evidence = PracticeEvidence.objects.get(student=student, competency__code="operation")
    assert (evidence.credits, evidence.weight, evidence.score) == (2.0, 1.5, pytest.approx(80.0))
    assert evidence.label == round_.subject_title
    # the bulk pass agrees with the one-student pass
    radar_recompute(student_ids=None)
    assert _attainments(student) == pytest.approx(after)
    # the explanation lists the practice contribution beside the course
    operation = next(e for e in radar_explanation(student=student) if e.code == "operation")
    assert [c.practice for c in operation.contributions] == [False, True]
    assert operation.contributions[1].course_name == round_.subject_title
    assert operation.attainment == pytest.approx(0.7)


def test_practice_credit_is_set_by_school_administrators(django_capture_on_commit_callbacks):
    world = build_world(students=4)
    student = world.students[0]
    round_ = open_rounds(world)[0]
    _finalise_all(world, round_, 90, django_capture_on_commit_callbacks)
    assert _attainments(student)["photo"] == pytest.approx(0.9)
    with pytest.raises(ApplicationError):
        subject_credit_set(actor=world.teacher, kind="course_offering", credit="0")
    with pytest.raises(ApplicationError):
        subject_credit_set(actor=world.admin, kind="course_offering", credit="-1")
    subject_credit_set(actor=world.admin, kind="course_offering", credit="0")
    assert _attainments(student)["photo"] == pytest.approx(0.0)
    assert not PracticeEvidence.objects.filter(student=student).exists()
