"""Bug 6 of issue 9: the radar history used to be recomputed from today's weights, so a
change of weights rewrote past years. A closed term now keeps the attainment the
student saw then (TermAttainment, frozen when the term closed)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from students.models import TermAttainment
from students.radar.selectors import radar_for_student, radar_history
from students.radar.services import radar_recompute, radar_term_close, radar_terms_close_due
from teachers.models import Competency, Course, Term
from teachers.services import program_course_set
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_terms():
    """C1 (term 1, closed) builds a and b; C2 (term 2, still open) builds a."""
    major = make_major(competencies=("a", "b", "c"))
    program = make_program(major, 2024, [("C1", 2, 1, {"a": 1, "b": 1}), ("C2", 2, 2, {"a": 1})])
    school_class = make_class(major, 2024)
    student = make_student(school_class)
    closed = make_term(2024, 1)
    today = datetime.date.today()
    open_term = Term.objects.create(code="2024-2025-2", start_year=2024, number=2,
                                    starts_on=today - datetime.timedelta(days=10),
                                    ends_on=today + datetime.timedelta(days=60))
    grade(make_offering("C1", closed, school_class), student, 80)
    grade(make_offering("C2", open_term, school_class), student, 60)
    radar_recompute()
    return {"major": major, "program": program, "student": student, "closed": closed, "open": open_term}


def test_a_weight_change_leaves_a_closed_terms_history_unchanged(two_terms):
    student, closed = two_terms["student"], two_terms["closed"]
    assert radar_terms_close_due() == [closed.pk]  # the open term is not frozen
    before = radar_history(student=student)
    # a: 2·80 / (2·100 + 2·100) = 0.4 after term 1; b: 2·80 / 200 = 0.8.
    assert before[0].values == pytest.approx([0.4, 0.8, 0.0]) and before[0].frozen
    assert before[1].values == pytest.approx([0.7, 0.8, 0.0]) and not before[1].frozen

    # The program is revised: C1 now builds c instead of b, and counts 4 credits.
    a, c = (Competency.objects.get(major=two_terms["major"], code=code) for code in ("a", "c"))
    program_course_set(actor=None, program=two_terms["program"], course=Course.objects.get(code="C1"),
                       credits=Decimal("4"), semester=1, weights={a.pk: Decimal("1"), c.pk: Decimal("1")})

    after = radar_history(student=student)
    assert after[0].values == pytest.approx(before[0].values)  # what the student saw then
    assert after[0].area == pytest.approx(before[0].area)
    # The open term and today's radar follow the new weights: a = (4·80 + 2·60) / 600.
    assert after[1].values == pytest.approx([440 / 600, 0.0, 0.8])
    assert [axis.attainment for axis in radar_for_student(student=student).axes] == pytest.approx(after[1].values)


def test_closing_a_term_is_idempotent_and_only_freezes_students_with_grades_in_it(two_terms):
    closed = two_terms["closed"]
    idle = make_student(make_class(two_terms["major"], 2025))
    assert radar_term_close(term=closed) == 3
    assert radar_term_close(term=closed) == 0
    assert set(TermAttainment.objects.values_list("student_id", flat=True)) == {two_terms["student"].pk}
    assert not TermAttainment.objects.filter(student=idle).exists()
