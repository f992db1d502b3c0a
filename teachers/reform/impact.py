"""Impact preview of a reform: a dry-run of the radar formula for one cohort, before/after.

The radar itself lives in the students app (above teachers), so the preview does not call
it: it evaluates the same formula (docs/radar.md) from the teachers app's own tables —
best final grade per (student, course) of the cohort's classes, and the program's
w_c · a_ck — with the reformed course's row swapped in. Nothing is written.

The cohort's mean attainment is linear in the grades:
    mean_k = Σ_c cw_ck · (Σ_s g_sc) / (N · 100 · Σ_c cw_ck)
so SQL returns one row per course (the sum of best grades) and the rest is arithmetic;
a cohort of 2,000 students costs one aggregate query."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from ..models import Competency, CourseCompetencyWeight, CourseOffering, Enrolment, Program, SchoolClass
from .models import Reform


@dataclass
class AxisImpact:
    code: str
    name: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass
class ImpactPreview:
    program: Program
    cohort_size: int
    axes: list[AxisImpact]
    area_before: float
    area_after: float


def radar_area(values: list[float]) -> float:
    n = len(values)
    if n < 3:
        return 0.0
    return 0.5 * math.sin(2 * math.pi / n) * sum(values[i] * values[(i + 1) % n] for i in range(n))


def cohort_means(*, course_sums: Mapping[int, float], students: int,
                 weights: Mapping[tuple[int, int], float], competency_ids: list[int]) -> dict[int, float]:
    """Pure: the cohort's mean attainment per competency from per-course sums of best grades
    and cw[(course_id, competency_id)] = w_c · a_ck."""
    earned = dict.fromkeys(competency_ids, 0.0)
    possible = dict.fromkeys(competency_ids, 0.0)
    for (course_id, competency_id), cw in weights.items():
        if competency_id not in possible:
            continue
        possible[competency_id] += cw * 100.0
        earned[competency_id] += cw * course_sums.get(course_id, 0.0)
    return {k: (min(1.0, earned[k] / (possible[k] * students)) if possible[k] > 0 and students else 0.0)
            for k in competency_ids}


def cohort_course_sums(*, program: Program) -> tuple[dict[int, float], int]:
    """Σ over the cohort's students of their best grade per course, and the cohort's size."""
    e, o, c = (connection.ops.quote_name(m._meta.db_table) for m in (Enrolment, CourseOffering, SchoolClass))
    cohort = (f"FROM {e} e JOIN {o} o ON o.id = e.offering_id JOIN {c} c ON c.id = o.school_class_id "
              f"WHERE c.major_id = %s AND c.intake_year = %s")
    params = [program.major_id, program.intake_year]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT course_id, SUM(best) FROM (SELECT e.student_id, o.course_id, MAX(e.score) AS best {cohort} "
            f"AND e.score IS NOT NULL GROUP BY e.student_id, o.course_id) t GROUP BY course_id", params)
        sums = {course_id: float(total) for course_id, total in cursor.fetchall()}
        cursor.execute(f"SELECT COUNT(DISTINCT e.student_id) {cohort}", params)
        students = cursor.fetchone()[0]
    return sums, students


def program_weights(*, program: Program) -> dict[tuple[int, int], float]:
    return {(course_id, comp_id): float(credits) * float(weight) for course_id, comp_id, credits, weight in
            CourseCompetencyWeight.objects.filter(program_course__program=program).values_list(
                "program_course__course_id", "competency_id", "program_course__credits", "weight")}


def reform_impact_preview(*, reform: Reform, program: Program) -> ImpactPreview:
    competencies = list(Competency.objects.filter(major_id=program.major_id).order_by("order", "code"))
    ids = [c.pk for c in competencies]
    by_code = {c.code: c.pk for c in competencies}
    before_w = program_weights(program=program)
    after_w = {key: cw for key, cw in before_w.items() if key[0] != reform.course_id}
    credits = float(Decimal(reform.credits))
    for code, weight in reform.weights.items():
        if code in by_code:
            after_w[(reform.course_id, by_code[code])] = credits * float(weight)
    sums, students = cohort_course_sums(program=program)
    before = cohort_means(course_sums=sums, students=students, weights=before_w, competency_ids=ids)
    after = cohort_means(course_sums=sums, students=students, weights=after_w, competency_ids=ids)
    axes = [AxisImpact(c.code, c.display_name, before[c.pk], after[c.pk]) for c in competencies]
    return ImpactPreview(program=program, cohort_size=students, axes=axes,
                         area_before=radar_area([a.before for a in axes]),
                         area_after=radar_area([a.after for a in axes]))


def preview_programs(*, reform: Reform):
    """Programs that teach the course (the cohorts a preview can be drawn for), newest first."""
    return Program.objects.filter(program_courses__course=reform.course).order_by("-intake_year")
