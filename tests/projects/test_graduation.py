"""Graduation design: both tutors grade each stage with weights; the final grade enters the
gradebook of the graduation-design course and the radar moves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.errors import ApplicationError
from accounts.models import Role
from projects import cohort_services
from projects.models import GraduationDesign, GraduationSubmission
from projects.uploads import check_upload
from students.selectors import radar_for_student
from teachers.models import Course, CourseCompetencyWeight, Enrolment, Program, ProgramCourse
from teachers.services import offering_create
from tests.factories import UserFactory
from tests.growth import factories as growth
from tests.projects import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def design():
    org, hr = f.enterprise()
    tutor = UserFactory(username="grad_tutor", role=Role.TEACHER)
    major = growth.major(code="gd", competencies=("practice", "other"))
    klass = growth.school_class(major_obj=major, year=2023, code="GD-1")
    student = growth.student(klass=klass, number="GD1")
    course = Course.objects.create(code="GD602", name="毕业设计", major=major)
    program = Program.objects.create(major=major, intake_year=2023, name="方案")
    pc = ProgramCourse.objects.create(program=program, course=course, credits=Decimal("4"), semester=6)
    CourseCompetencyWeight.objects.create(program_course=pc, competency=major.competencies.get(code="practice"),
                                          weight=Decimal("1"))
    offering_create(actor=None, course=course, term=growth.term(2025, 2), school_class=klass, teacher=tutor)
    topic = cohort_services.topic_propose(actor=tutor, title="选品策略研究", description="d", major=major, course=course,
                                          school_tutor=tutor, enterprise_tutor=hr, enterprise=org,
                                          school_weight=Decimal("0.6"))
    topic.status = "approved"
    topic.save()
    return GraduationDesign.objects.create(topic=topic, student=student)


def test_stages_graded_by_both_tutors_then_the_grade_enters_the_gradebook(design):
    topic, student = design.topic, design.student
    before = {a.code: a.attainment for a in radar_for_student(student=student).axes}
    assert before["practice"] == 0
    scores = {"proposal": (80, 90), "midterm": (70, 80), "submission": (90, 100), "defence": (85, 75)}
    pdf = check_upload(SimpleUploadedFile("设计.pdf", f.PDF))
    with pytest.raises(ApplicationError):  # an outsider does not grade
        cohort_services.stage_grade(actor=UserFactory(role=Role.TEACHER), design=design, score=90)
    for stage, (school, enterprise) in scores.items():
        design.refresh_from_db()
        assert design.stage == stage
        if stage == "submission":
            with pytest.raises(ApplicationError) as exc:
                cohort_services.stage_grade(actor=topic.school_tutor, design=design, score=school)
            assert exc.value.code == "no_submission"
            cohort_services.graduation_submit(actor=student.user, design=design, checked=pdf)
        cohort_services.stage_grade(actor=topic.school_tutor, design=design, score=school)
        design.refresh_from_db()
        assert design.stage == stage  # waits for the enterprise tutor
        cohort_services.stage_grade(actor=topic.enterprise_tutor, design=design, score=enterprise)
    design.refresh_from_db()
    expected = sum(Decimal(w) * (Decimal("0.6") * s + Decimal("0.4") * e)
                   for w, (s, e) in zip(("0.15", "0.15", "0.40", "0.30"), scores.values(), strict=True))
    assert design.stage == "finished" and design.final_score == expected.quantize(Decimal("0.01"))
    enrolment = Enrolment.objects.get(student=student.user, offering__course=topic.course)
    assert enrolment.score == design.final_score
    radar = radar_for_student(student=student)
    after = {a.code: a.attainment for a in radar.axes}
    assert after["practice"] == pytest.approx(float(design.final_score) / 100)


def test_bad_score_and_fake_file_are_refused(design):
    with pytest.raises(ApplicationError):
        cohort_services.stage_grade(actor=design.topic.school_tutor, design=design, score=101)
    with pytest.raises(ApplicationError):
        cohort_services.graduation_submit(actor=design.student.user, design=design,
                                          checked=check_upload(SimpleUploadedFile("设计.docx", f.PDF)))
    assert not GraduationSubmission.objects.exists()
    assert not design.stage_grades.exists()
