"""The bulk recompute's write path: only changed rows are rewritten (existing rows
updated in place, new ones inserted, vanished ones deleted)."""

from decimal import Decimal

import pytest

from students.models import CompetencyAttainment
from students.radar.services import radar_recompute
from teachers.models import Competency, CourseCompetencyWeight, ProgramCourse
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db


def _rows():
    return {(r.student_id, r.competency.code): r for r in CompetencyAttainment.objects.select_related("competency")}


def test_bulk_recompute_writes_only_what_changed():
    major = make_major(competencies=("a", "b"))
    make_program(major, 2024, [("W1", 2, 1, {"a": 1}), ("W2", 2, 1, {"b": 1})])
    school_class = make_class(major, 2024)
    one, two = make_student(school_class), make_student(school_class)
    term = make_term()
    w1, w2 = make_offering("W1", term, school_class), make_offering("W2", term, school_class)
    for student in (one, two):
        grade(w1, student, 60)
        grade(w2, student, 80)
    radar_recompute()
    before = _rows()
    assert len(before) == 4 and before[(one.pk, "a")].attainment == pytest.approx(0.6)

    grade(w1, one, 90)  # one value of one student changes
    radar_recompute()
    after = _rows()
    assert after[(one.pk, "a")].attainment == pytest.approx(0.9)
    assert after[(one.pk, "a")].updated_at > before[(one.pk, "a")].updated_at
    untouched = [key for key in before if key != (one.pk, "a")]
    # Only the changed row is written, on PostgreSQL and on SQLite (the embedded default).
    assert all(after[key].updated_at == before[key].updated_at for key in untouched)

    # A new competency weighted on W2: its rows are inserted.
    c = Competency.objects.create(major=major, code="c", name="能力c", name_en="C", order=3)
    CourseCompetencyWeight.objects.create(program_course=ProgramCourse.objects.get(course__code="W2"),
                                          competency=c, weight=Decimal("1"))
    radar_recompute()
    after = _rows()
    assert len(after) == 6 and after[(two.pk, "c")].attainment == pytest.approx(0.8)

    # A competency removed from the framework: its rows go with it.
    Competency.objects.filter(major=major, code="b").delete()
    radar_recompute()
    assert sorted(code for _student, code in _rows()) == ["a", "a", "c", "c"]
