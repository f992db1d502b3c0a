"""The one-student recompute after a grade change (two aggregate queries in the database) stores
exactly what the vectorised pass stores for that student, practice evidence included."""

from __future__ import annotations

import pytest

from students.models import CompetencyAttainment, PracticeEvidence, StudentRadar
from students.radar.services import radar_recompute, radar_recompute_student
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db


def _stored(student) -> tuple[dict, tuple]:
    rows = {r.competency_id: (pytest.approx(r.attainment), pytest.approx(r.earned), pytest.approx(r.possible))
            for r in CompetencyAttainment.objects.filter(student=student)}
    radar = StudentRadar.objects.get(student=student)
    return rows, (pytest.approx(radar.area), pytest.approx(radar.credits_completed))


def _evidence(student, competency, earned, possible, reference):
    PracticeEvidence.objects.create(student=student, competency=competency, source="evaluation", reference=reference,
                                    label="实践", credits=1, weight=1, score=earned, earned=earned,
                                    possible=possible, term_key=20241)


def test_the_one_student_path_equals_the_vectorised_pass_with_practice_evidence():
    major = make_major(competencies=("a", "b", "c"))
    make_program(major, 2024, [("S1", 2, 1, {"a": 1, "b": 0.5}), ("S2", 3, 1, {"b": 1})])  # c: no course
    school_class = make_class(major, 2024)
    graded, ungraded, practised = (make_student(school_class) for _ in range(3))
    term = make_term()
    s1, s2 = make_offering("S1", term, school_class), make_offering("S2", term, school_class)
    grade(s1, graded, 80)
    grade(s2, graded, 65)
    grade(s1, practised, 90)
    competencies = {c.code: c for c in major.competencies.all()}
    _evidence(practised, competencies["a"], 70, 100, "r1")
    _evidence(practised, competencies["a"], 95, 100, "r2")
    _evidence(practised, competencies["c"], 150, 100, "r3")  # more than possible: capped at 1

    for student in (graded, ungraded, practised):
        radar_recompute(student_ids=[student.pk])  # the vectorised pass, every source
        vectorised = _stored(student)
        CompetencyAttainment.objects.filter(student=student).update(attainment=0.5, earned=0, possible=0)
        radar_recompute_student(student=student)
        assert _stored(student) == vectorised
    rows, _radar = _stored(practised)
    assert rows[competencies["c"].pk][0] == pytest.approx(1.0)
    assert rows[competencies["a"].pk][1] == pytest.approx(2 * 90 + 70 + 95)


def test_the_one_student_path_costs_a_handful_of_queries(django_assert_max_num_queries):
    """10 today (locks, the two aggregates, the upserts, the stored sums); the vectorised pass takes 17."""
    major = make_major(competencies=("a", "b"))
    make_program(major, 2024, [("Q1", 2, 1, {"a": 1, "b": 1})])
    school_class = make_class(major, 2024)
    student = make_student(school_class)
    grade(make_offering("Q1", make_term(), school_class), student, 75)
    radar_recompute_student(student=student)
    with django_assert_max_num_queries(12):
        radar_recompute_student(student=student)
