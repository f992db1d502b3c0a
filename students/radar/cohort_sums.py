"""Stored per-cohort sums of the radar (CohortAttainmentSum): writes and reads.

A cohort is a major × intake year. Its row per class and competency holds the sum and the
count of its students' stored attainments, so that a figure over many students (the school
dashboard's radar for the school, a major or a class, a cohort's average) adds up a few
thousand rows in SQL instead of scanning hundreds of thousands of attainments.

The sums change in the transaction that changed the attainments: a recompute of some students
adds the difference their new attainments make (`StudentSums`: their own rows summed before
and after the write); a whole-school recompute, a student changing cohort or class, a deletion
recompute whole cohorts from the attainments (`cohort_sums_refresh`). Writers of one cohort are
serialised by transaction-scoped advisory locks on PostgreSQL (SQLite serialises writers
anyway), so each reads what the previous one committed. The nightly
`radar_cohort_sums_rebuild_task` rebuilds everything from scratch, which also repairs sums
after a bulk SQL write that bypassed the services.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from .models import CohortAttainmentSum, CompetencyAttainment

# First key of the two-int advisory lock: "radar cohort sums" (any constant unique in the project).
_LOCK_NAMESPACE = 0x7261_6463  # "radc"


def _cohort_q(cohorts: list[tuple[int, int]], prefix: str = "") -> Q:
    q = Q()
    for major_id, intake_year in cohorts:
        q |= Q(**{f"{prefix}major_id": major_id, f"{prefix}intake_year": intake_year})
    return q


def cohort_lock(cohorts: Iterable[tuple[int, int]] | None) -> list[tuple[int, int]] | None:
    """Serialise writers of these cohorts' sums until the transaction ends (PostgreSQL advisory
    locks; SQLite serialises writers itself); None: every cohort (a rebuild). Returns the
    cohorts, sorted and de-duplicated (two writers lock shared cohorts in the same order: no
    deadlock). Must be called inside a transaction."""
    selected = None if cohorts is None else sorted({(int(m), int(y)) for m, y in cohorts if m is not None})
    if connection.vendor == "postgresql" and selected != []:
        with connection.cursor() as cursor:
            if selected is None:  # a rebuild excludes every cohort's writer
                cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [_LOCK_NAMESPACE])
            else:
                cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [_LOCK_NAMESPACE])
                for major_id, intake_year in selected:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                                   [_LOCK_NAMESPACE + 1, major_id * 10_000 + intake_year])
    return selected


_KEY = ("student__major_id", "student__intake_year", "student__school_class_id", "competency_id")


def _grouped(attainments) -> list[dict]:
    return list(attainments.order_by().values(*_KEY).annotate(total=Sum("attainment"), n=Count("id")))


def cohort_sums_refresh(*, cohorts: Iterable[tuple[int, int]] | None = None) -> int:
    """Recompute the stored sums of these cohorts ((major_id, intake_year) pairs), or of
    every cohort when None, from the stored attainments: one GROUP BY over the cohorts'
    attainments (a cohort of 5,000 students: about 100 ms). For a class move, a deletion, the
    nightly rebuild; a recompute of a few students applies its difference instead
    (`StudentSums`). Returns the rows written."""
    with transaction.atomic():
        selected = cohort_lock(cohorts)
        if selected == []:
            return 0
        stored = CohortAttainmentSum.objects.all()
        attainments = CompetencyAttainment.objects.all()
        if selected is not None:
            stored = stored.filter(_cohort_q(selected))
            attainments = attainments.filter(_cohort_q(selected, "student__"))
        rows = _grouped(attainments)
        stored.delete()
        CohortAttainmentSum.objects.bulk_create(
            [CohortAttainmentSum(major_id=row["student__major_id"], intake_year=row["student__intake_year"],
                                 school_class_id=row["student__school_class_id"], competency_id=row["competency_id"],
                                 total=row["total"] or 0.0, students=row["n"])
             for row in rows],
            batch_size=1000,
        )
    return len(rows)


def cohort_sums_replace(rows: Iterable[tuple[int, int, int, int, float, int]]) -> int:
    """Replace every stored row by these (major, intake year, class, competency, total, count)
    rows: after a whole-school recompute, which has every attainment in memory already (reading
    them back with a GROUP BY cost 150–180 ms at 10,000 students)."""
    with transaction.atomic():
        cohort_lock(None)
        CohortAttainmentSum.objects.all().delete()
        objs = [CohortAttainmentSum(major_id=m, intake_year=y, school_class_id=c, competency_id=k, total=t, students=n)
                for m, y, c, k, t, n in rows]
        CohortAttainmentSum.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


class StudentSums:
    """The difference a recompute of some students makes to the stored sums, without reading
    their cohorts: their own attainments summed per (cohort, class, competency) before the
    write (`before()`, with their cohorts locked) and after it (`apply()`), the difference added
    to the stored rows in one upsert. A grade change costs a few small queries instead of a
    GROUP BY over a cohort of thousands."""

    def __init__(self, student_ids: Iterable[int], cohorts: Iterable[tuple[int, int]]):
        self.student_ids = list(student_ids)
        self.cohorts = list(cohorts)
        self._before: dict[tuple, tuple[float, int]] = {}

    def _sums(self) -> dict[tuple, tuple[float, int]]:
        rows = _grouped(CompetencyAttainment.objects.filter(student_id__in=self.student_ids))
        return {tuple(row[k] for k in _KEY): (row["total"] or 0.0, row["n"]) for row in rows}

    def before(self) -> StudentSums:
        """Lock the cohorts (until the transaction ends) and read the students' sums as stored."""
        cohort_lock(self.cohorts)
        self._before = self._sums()
        return self

    def apply(self) -> int:
        """Add (after − before) to the stored rows; rows left without a student go. Returns the
        rows changed."""
        after = self._sums()
        changes = []
        for key in after.keys() | self._before.keys():
            total, n = after.get(key, (0.0, 0))
            old_total, old_n = self._before.get(key, (0.0, 0))
            if n != old_n or total != old_total:
                changes.append((*key, total - old_total, n - old_n))
        if not changes:
            return 0
        table = connection.ops.quote_name(CohortAttainmentSum._meta.db_table)
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(changes))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (major_id, intake_year, school_class_id, competency_id, total, students) "
                f"VALUES {values} ON CONFLICT (major_id, intake_year, school_class_id, competency_id) DO UPDATE "
                f"SET total = {table}.total + excluded.total, students = {table}.students + excluded.students",
                [value for change in changes for value in change])
        CohortAttainmentSum.objects.filter(students__lte=0, major_id__in={c[0] for c in changes},
                                           school_class_id__in={c[2] for c in changes}).delete()
        return len(changes)


GROUP_FIELDS = {None: None, "major": "major__code", "class": "school_class_id"}


def cohort_sums_grouped(*, intake_years: tuple[int, int], major_code: str | None = None,
                        class_id: int | None = None, group_by: str | None = None) -> list[tuple]:
    """[(group key, competency id, total, count)] of the stored sums within an inclusive
    intake-year range and optionally one major or class, added up per (group, competency) in
    SQL; the key is None without grouping, a major's code or a class id."""
    qs = CohortAttainmentSum.objects.filter(intake_year__gte=intake_years[0], intake_year__lte=intake_years[1],
                                            students__gt=0)
    if major_code:
        qs = qs.filter(major__code=major_code)
    if class_id:
        qs = qs.filter(school_class_id=class_id)
    field = GROUP_FIELDS[group_by]
    fields = ["competency_id"] if field is None else [field, "competency_id"]
    rows = qs.order_by().values(*fields).annotate(total=Sum("total"), n=Sum("students"))
    return [(row[field] if field else None, row["competency_id"], row["total"], row["n"]) for row in rows]
