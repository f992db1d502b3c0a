"""Writes of the radar: recomputing the stored attainment (students.CompetencyAttainment,
students.StudentRadar) and snapshotting it when a term closes.

`radar_recompute` handles any set of students (a cohort, the whole school) in one
vectorised pass; `radar_recompute_student` is the same pass for one student, run
synchronously after a grade change. Both go through `computation.attainment_frame`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone

from ..profiles.models import StudentProfile
from ..rankings.services import rankings_refresh_request
from .cohort_sums import StudentSums, cohort_sums_replace
from .computation import (
    SOURCES,
    areas_frame,
    attainment_frame,
    credits_completed,
    curriculum_attainment_sql,
    curriculum_source,
    practice_source,
    practice_sums_sql,
    scope_load,
)
from .geometry import radar_area
from .models import CompetencyAttainment, StudentRadar
from .selectors import cohort_average_invalidate
from .storage import attainments_write


@dataclass
class RecomputeResult:
    students: int
    rows: int
    timings: dict[str, float] = field(default_factory=dict)


def _after_write(cohorts: list[tuple[int, int]], sums: StudentSums | None, frame=None, students=None) -> None:
    """Bring the stored sums up to date (the difference the students' new attainments make; after
    a whole-school recompute, `sums` None, every row rebuilt from the `frame` just written), drop
    the cohorts' cached averages now and after commit (a reader between the two would cache the
    old value), and ask for the competency rankings to follow."""
    if sums is not None:
        sums.apply()
    else:
        cohort_sums_replace(_sums_of_frame(frame, students))
    cohort_average_invalidate(cohorts=cohorts)
    rankings_refresh_request(major_ids={int(m) for m, _ in cohorts})
    transaction.on_commit(lambda: cohort_average_invalidate(cohorts=cohorts))


def _sums_of_frame(frame, students) -> list[tuple[int, int, int, int, float, int]]:
    """(major, intake year, class, competency, total, count) of the attainments in `frame`
    (student_id, competency_id, attainment), as `CohortAttainmentSum` stores them."""
    if frame.empty:
        return []
    keys = ["major_id", "intake_year", "school_class_id", "competency_id"]
    grouped = (frame[["student_id", "competency_id", "attainment"]]
               .merge(students[["student_id", "major_id", "intake_year", "school_class_id"]], on="student_id")
               .groupby(keys, as_index=False)["attainment"].agg(["sum", "count"]))
    return [(int(m), int(y), int(c), int(k), float(t), int(n))
            for m, y, c, k, t, n in grouped[[*keys, "sum", "count"]].itertuples(index=False, name=None)]


@transaction.atomic
def radar_recompute(*, student_ids: Iterable[int] | None = None) -> RecomputeResult:
    """Recompute and store the radar of the given students (StudentProfile ids), or of
    every student when None, in one vectorised pass."""
    t0 = time.perf_counter()
    scope = scope_load(None if student_ids is None else list(student_ids))
    if scope is None:
        return RecomputeResult(students=0, rows=0)
    _weights = scope.weights
    t1 = time.perf_counter()
    _grades = scope.grades
    t2 = time.perf_counter()
    frame = attainment_frame(scope)
    areas = areas_frame(frame, scope.competencies)
    credits = credits_completed(scope)
    t3 = time.perf_counter()
    cohorts = [(int(m), int(y)) for m, y in
               scope.students[["major_id", "intake_year"]].drop_duplicates().itertuples(index=False, name=None)]
    sums = None if scope.all_students else StudentSums(scope.student_ids, cohorts).before()
    attainments_write(frame, areas, credits, scope.student_ids, scope.all_students)
    _after_write(cohorts, sums, frame, scope.students)
    t4 = time.perf_counter()
    return RecomputeResult(
        students=len(scope.students), rows=len(frame),
        timings={"load": t1 - t0, "grades": t2 - t1, "compute": t3 - t2, "write": t4 - t3},
    )


def radar_recompute_student(*, student: StudentProfile) -> list[CompetencyAttainment]:
    """Recompute one student's stored radar, synchronously after a grade change.

    While the sources of evidence are the curriculum and practice, this is two aggregate
    queries in the database (best grade per course → weighted sums per competency; the
    practice evidence summed per competency) and two upserts: the vectorised pass costs ten
    times more for one student (its pandas merges: 55–65 ms). As soon as `SOURCES` holds
    another source the student goes through `radar_recompute`, so a new source never has
    to be added here (`tests/radar/test_single_student.py` checks both give the same rows)."""
    if [curriculum_source, practice_source] != SOURCES:
        radar_recompute(student_ids=[student.pk])
        return list(CompetencyAttainment.objects.filter(student_id=student.pk)
                    .order_by("competency__order", "competency__code"))
    rows, credits = curriculum_attainment_sql(student)
    practice = practice_sums_sql(student)
    objs = []
    for cid, possible, earned in rows:
        practice_earned, practice_possible = practice.get(cid, (0.0, 0.0))
        earned, possible = earned + practice_earned, possible + practice_possible
        objs.append(CompetencyAttainment(student_id=student.pk, competency_id=cid, possible=possible, earned=earned,
                                         attainment=min(1.0, max(0.0, earned / possible)) if possible > 0 else 0.0))
    with transaction.atomic():
        cohorts = [(student.major_id, student.intake_year)]
        sums = StudentSums([student.pk], cohorts).before()
        CompetencyAttainment.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=["student", "competency"],
            update_fields=["attainment", "earned", "possible", "updated_at"])
        StudentRadar.objects.bulk_create(
            [StudentRadar(student_id=student.pk, area=radar_area([a.attainment for a in objs]),
                          credits_completed=credits, computed_at=timezone.now())],
            update_conflicts=True, unique_fields=["student"], update_fields=["area", "credits_completed", "computed_at"])
        _after_write(cohorts, sums)
    return objs


def radar_recompute_for_users(*, user_ids: Iterable[int]) -> int:
    """After grades of these users changed: one student in the database, several in one
    vectorised pass. Returns the number of students recomputed."""
    profiles = list(StudentProfile.objects.filter(user_id__in=list(set(user_ids))))
    if len(profiles) == 1:
        radar_recompute_student(student=profiles[0])
        return 1
    if not profiles:
        return 0
    return radar_recompute(student_ids=[p.pk for p in profiles]).students


@transaction.atomic
def radar_term_close(*, term) -> int:
    """Freeze every student's attainment at the end of `term` (students with a grade in
    it), computed with today's weights — those of the term that just ended. Idempotent:
    a term already frozen is left as it is. Returns the number of rows written."""
    from django.utils import timezone

    from .models import TermAttainment

    if TermAttainment.objects.filter(term=term).exists():
        return 0
    scope = scope_load(None)
    if scope is None:
        return 0
    key = (term.start_year, term.number)
    scope = scope.until_term(key)
    grades = scope.grades
    in_term = set(grades.loc[grades["term_key"].astype(int) == key[0] * 10 + key[1], "user_id"].astype(int))
    if not in_term:
        return 0
    students = scope.students[scope.students["user_id"].astype(int).isin(in_term)]
    frame = attainment_frame(replace(scope, students=students))
    now = timezone.now()
    rows = [TermAttainment(student_id=int(s), term_id=term.pk, competency_id=int(c), attainment=float(a),
                           earned=float(e), possible=float(p), created_at=now)
            for s, c, e, p, a in frame[["student_id", "competency_id", "earned", "possible", "attainment"]]
            .itertuples(index=False, name=None)]
    TermAttainment.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def radar_terms_close_due(*, today=None) -> list[int]:
    """Freeze every term that has ended and is not frozen yet (the beat task calls this)."""
    from django.utils import timezone

    from teachers.models import Term

    from .models import TermAttainment

    today = today or timezone.localdate()
    frozen = set(TermAttainment.objects.values_list("term_id", flat=True).distinct())
    due = Term.objects.filter(ends_on__lt=today).exclude(pk__in=frozen).order_by("start_year", "number")
    return [term.pk for term in due if radar_term_close(term=term)]
