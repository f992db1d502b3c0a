"""Grouping of dashboard figures by the students' major or class, in SQL.

Any app's KPI (accounts/dashboard.py) counts rows that lead to a student profile
(`student_path`, e.g. "round__student" or "selected_team__members__user__student_profile").
`grouped_aggregate` filters the rows to the scope's major or class and aggregates them
with one GROUP BY query: never a Python loop over rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet


def _path(student_path: str, field: str) -> str:
    return f"{student_path}__{field}" if student_path else field


def student_scope_q(scope, *, student_path: str = "") -> Q:
    """The rows whose student is inside the scope's major and class (the year is the caller's)."""
    q = Q()
    if scope.major_code:
        q &= Q(**{_path(student_path, "major__code"): scope.major_code})
    if scope.class_id:
        q &= Q(**{_path(student_path, "school_class_id"): scope.class_id})
    return q


def group_field(group_by, *, student_path: str = "") -> str | None:
    if group_by == "major":
        return _path(student_path, "major__code")
    if group_by == "class":
        return _path(student_path, "school_class_id")
    return None


def grouped_aggregate(queryset: QuerySet, *, scope, group_by, student_path: str = "",
                      **aggregates: Any) -> dict[Any, dict[str, Any]]:
    """{group key: {alias: value}} for the rows inside the scope, one query.
    group_by None → {None: {...}} (always present, zeros when nothing matched)."""
    queryset = queryset.filter(student_scope_q(scope, student_path=student_path))
    field = group_field(group_by, student_path=student_path)
    if field is None:
        return {None: queryset.aggregate(**aggregates)}
    rows = queryset.order_by().values(field).annotate(**aggregates)
    return {row.pop(field): row for row in rows if row.get(field) is not None}


def students_in_scope(scope, *, cohort_years: int = 3):
    """Profiles on the rolls in the scope's calendar year: the intake cohorts year-3 … year
    (three-year programmes: a cohort admitted in September Y graduates in June Y+3)."""
    from .models import StudentProfile

    return StudentProfile.objects.filter(intake_year__gte=scope.year - cohort_years, intake_year__lte=scope.year)


def grouped_breakdown(queryset: QuerySet, *, scope, group_by, label_field: str, aggregate,
                      student_path: str = "") -> dict[Any, dict[Any, Any]]:
    """{group key: {label: aggregate}}: one GROUP BY (group, label) query."""
    queryset = queryset.filter(student_scope_q(scope, student_path=student_path))
    field = group_field(group_by, student_path=student_path)
    fields = [label_field] if field is None else [field, label_field]
    out: dict[Any, dict[Any, Any]] = {} if field else {None: {}}
    for row in queryset.order_by().values(*fields).annotate(_v=aggregate):
        key = row[field] if field else None
        if key is None and field:
            continue
        out.setdefault(key, {})[row[label_field]] = row["_v"]
    return out
