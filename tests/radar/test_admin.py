"""Admin screens for programs and weights validate what the radar relies on."""

import pytest
from django.urls import reverse

from students.models import CompetencyAttainment
from students.radar.services import radar_recompute
from teachers.models import Course, CourseCompetencyWeight, ProgramCourse
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    major = make_major(competencies=("a", "b", "c"))
    other = make_major(competencies=("x", "y", "z"))
    program = make_program(major, 2024, [("AD1", 2, 1, {"a": 1})])
    course = Course.objects.create(code="AD2", name="新课", major=major)
    school_class = make_class(major, 2024)
    student = make_student(school_class)
    grade(make_offering("AD1", make_term(), school_class), student, 80)
    radar_recompute()
    return {"major": major, "other": other, "program": program, "course": course, "student": student}


def _post(admin_client, setup, weights):
    data = {"program": setup["program"].pk, "course": setup["course"].pk, "credits": "3", "semester": "2",
            "weights-TOTAL_FORMS": str(len(weights)), "weights-INITIAL_FORMS": "0",
            "weights-MIN_NUM_FORMS": "1", "weights-MAX_NUM_FORMS": "1000"}
    for i, (competency, weight) in enumerate(weights):
        data[f"weights-{i}-competency"] = competency.pk
        data[f"weights-{i}-weight"] = weight
    return admin_client.post(reverse("admin:teachers_programcourse_add"), data)


def _comp(major, code):
    return major.competencies.get(code=code)


@pytest.mark.parametrize("case", ["negative", "all_zero", "other_major"])
def test_invalid_weights_are_refused(admin_client, setup, case):
    weights = {
        "negative": [(_comp(setup["major"], "a"), "-1"), (_comp(setup["major"], "b"), "1")],
        "all_zero": [(_comp(setup["major"], "a"), "0")],
        "other_major": [(_comp(setup["other"], "x"), "1")],
    }[case]
    response = _post(admin_client, setup, weights)
    assert response.status_code == 200  # the form again, with errors
    assert not ProgramCourse.objects.filter(course=setup["course"]).exists()


def test_valid_weights_save_and_recompute_the_program_radars(admin_client, setup):
    before = CompetencyAttainment.objects.get(student=setup["student"], competency__code="a").attainment
    response = _post(admin_client, setup, [(_comp(setup["major"], "a"), "1"), (_comp(setup["major"], "c"), "0.5")])
    assert response.status_code == 302
    assert CourseCompetencyWeight.objects.filter(program_course__course=setup["course"]).count() == 2
    after = CompetencyAttainment.objects.get(student=setup["student"], competency__code="a").attainment
    # a new, not yet taken course enlarges the denominator: 2·80/200 → 2·80/(200 + 300)
    assert before == pytest.approx(0.8) and after == pytest.approx(160 / 500)
