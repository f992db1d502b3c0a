"""Stored per-cohort sums of the radar (CohortAttainmentSum): writes and reads.

A cohort is a major × intake year. Its row per class and competency holds the sum and the
count of its students' stored attainments, so that a figure over many students (the school
dashboard's radar for the school, a major or a class, a cohort's average) adds up a few
thousand rows in SQL instead of scanning hundreds of thousands of attainments.

The sums are recomputed per cohort, from the attainments, in the transaction that changed
them: after a radar recompute (students.radar.services._after_write) and when a student
joins, leaves or changes cohort or class (students.radar.receivers). A cohort's recompute is one
GROUP BY over its students (an indexed few thousand rows); concurrent recomputes of the same
cohort are serialised by a transaction-scoped advisory lock on PostgreSQL (SQLite serialises
writers anyway), so the last one to commit has seen every committed attainment. The nightly
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


def cohort_sums_refresh(*, cohorts: Iterable[tuple[int, int]] | None = None) -> int:
    """Recompute the stored sums of these cohorts ((major_id, intake_year) pairs), or of
    every cohort when None, from the stored attainments. Returns the rows written."""
    selected = None if cohorts is None else sorted({(int(m), int(y)) for m, y in cohorts if m is not None})
    if selected is not None and not selected:
        return 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if selected is None:  # a rebuild excludes every cohort's refresh
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [_LOCK_NAMESPACE])
                else:  # sorted: two writers lock shared cohorts in the same order (no deadlock)
                    cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [_LOCK_NAMESPACE])
                    for major_id, intake_year in selected:
                        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                                       [_LOCK_NAMESPACE + 1, major_id * 10_000 + intake_year])
        stored = CohortAttainmentSum.objects.all()
        attainments = CompetencyAttainment.objects.all()
        if selected is not None:
            stored = stored.filter(_cohort_q(selected))
            attainments = attainments.filter(_cohort_q(selected, "student__"))
        rows = list(attainments.order_by()
                    .values("student__major_id", "student__intake_year", "student__school_class_id", "competency_id")
                    .annotate(total=Sum("attainment"), n=Count("id")))
        stored.delete()
        CohortAttainmentSum.objects.bulk_create(
            [CohortAttainmentSum(major_id=row["student__major_id"], intake_year=row["student__intake_year"],
                                 school_class_id=row["student__school_class_id"], competency_id=row["competency_id"],
                                 total=row["total"] or 0.0, students=row["n"])
             for row in rows],
            batch_size=1000,
        )
    return len(rows)


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
