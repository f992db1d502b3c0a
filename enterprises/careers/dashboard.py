"""Careers figures for the school dashboard (contract: accounts/dashboard.py). Each
figure is one or two GROUP BY queries whatever the scope; the year of a scope is the
graduation year of the cohort (students of intake year − PROGRAM_YEARS)."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi, Row, Scope
from students.models import StudentProfile

from .models import (
    EMPLOYMENT_RATE_CATEGORIES,
    PROGRAM_YEARS,
    WORKING_CATEGORIES,
    Destination,
    DestinationCategory,
    FeedbackRating,
    SalaryBand,
)

# The round the dashboard reports: the destination at graduation (毕业去向落实率 as
# reported in July). Later rounds are on the careers page.
REPORT_ROUND = "graduation"


def _graduates(scope: Scope):
    qs = StudentProfile.objects.filter(status=StudentProfile.Status.GRADUATED,
                                       intake_year=scope.year - PROGRAM_YEARS)
    if scope.major_code:
        qs = qs.filter(major__code=scope.major_code)
    if scope.class_id:
        qs = qs.filter(school_class_id=scope.class_id)
    return qs


def _destinations(scope: Scope):
    qs = Destination.objects.filter(graduation_year=scope.year, survey_round__kind=REPORT_ROUND,
                                    student__status=StudentProfile.Status.GRADUATED)
    if scope.major_code:
        qs = qs.filter(major__code=scope.major_code)
    if scope.class_id:
        qs = qs.filter(school_class_id=scope.class_id)
    return qs


def _group_key(group_by, *, student_side: bool) -> str | None:
    if group_by == "major":
        return "major__code"
    if group_by == "class":
        return "school_class_id"
    return None


def _grouped(qs, group_by, **aggregates) -> dict[Any, dict]:
    key = _group_key(group_by, student_side=False)
    if key is None:
        return {None: qs.aggregate(**aggregates)}
    return {row.pop(key): row for row in qs.values(key).annotate(**aggregates).order_by(key)}


def graduates_figures(scope: Scope, group_by) -> dict[Any, Figure]:
    counts = _grouped(_graduates(scope), group_by, n=Count("pk"))
    return {k: Figure.count(v["n"] or 0) for k, v in counts.items()}


def _rate(scope: Scope, group_by, condition: Q) -> dict[Any, Figure]:
    graduates = _grouped(_graduates(scope), group_by, n=Count("pk"))
    hits = _grouped(_destinations(scope), group_by, n=Count("pk", filter=condition))
    keys = set(graduates) | ({None} if group_by is None else set())
    return {k: Figure.rate(int((hits.get(k) or {}).get("n") or 0), int((graduates.get(k) or {}).get("n") or 0))
            for k in keys}


def employment_rate_figures(scope: Scope, group_by) -> dict[Any, Figure]:
    return _rate(scope, group_by, Q(category__in=EMPLOYMENT_RATE_CATEGORIES))


def entrepreneurship_rate_figures(scope: Scope, group_by) -> dict[Any, Figure]:
    return _rate(scope, group_by, Q(category=DestinationCategory.ENTREPRENEURSHIP))


def counterpart_rate_figures(scope: Scope, group_by) -> dict[Any, Figure]:
    working = _grouped(_destinations(scope).filter(category__in=WORKING_CATEGORIES), group_by,
                       n=Count("pk"), hits=Count("pk", filter=Q(counterpart=True)))
    if group_by is None and None not in working:
        working[None] = {"n": 0, "hits": 0}
    return {k: Figure.rate(int(v.get("hits") or 0), int(v.get("n") or 0)) for k, v in working.items()}


def salary_bands_figures(scope: Scope, group_by) -> dict[Any, Figure]:
    aggregates = {f"b{i}": Count("pk", filter=Q(salary_band=band)) for i, band in enumerate(SalaryBand.values)}
    rows = _grouped(_destinations(scope).filter(category__in=WORKING_CATEGORIES).exclude(salary_band=""),
                    group_by, n=Count("pk"), **aggregates)
    if group_by is None and None not in rows:
        rows[None] = {"n": 0}
    return {k: Figure.count(int(v.get("n") or 0), {band: float(v.get(f"b{i}") or 0)
                                                   for i, band in enumerate(SalaryBand.values)})
            for k, v in rows.items()}


def enterprise_satisfaction_figures(scope: Scope, group_by) -> dict[Any, Figure]:
    qs = FeedbackRating.objects.filter(feedback__year=scope.year)
    if scope.major_code:
        qs = qs.filter(feedback__major__code=scope.major_code)
    if scope.class_id:
        qs = qs.filter(feedback__student__school_class_id=scope.class_id)
    key = {"major": "feedback__major__code", "class": "feedback__student__school_class_id"}.get(group_by or "")
    if key is None:
        rows = {None: qs.aggregate(mean=Avg("rating"), n=Count("pk"))}
    else:
        rows = {r.pop(key): r for r in qs.values(key).annotate(mean=Avg("rating"), n=Count("pk")).order_by(key)}
    return {k: Figure(value=float(v["mean"]) if v.get("n") else None, numerator=int(v.get("n") or 0))
            for k, v in rows.items()}


def destination_rows(scope: Scope) -> list[Row]:
    """The class's graduates with their destination at graduation ("–" without one)."""
    labels = dict(DestinationCategory.choices)
    categories = dict(_destinations(scope).values_list("student_id", "category"))
    return [Row(student_id=p.pk, student_number=p.student_number, name=p.user.name_for_display,
                value=str(labels.get(categories.get(p.pk), "–")))
            for p in _graduates(scope).select_related("user").order_by("student_number")]


CAREERS_KPIS = [
    Kpi(code="graduates", name=_("Graduates"), unit="count", order=60, figures=graduates_figures,
        rows=destination_rows,
        help=_("Students with the status “graduated” whose cohort graduates in the year (intake year + 3).")),
    Kpi(code="employment_rate", name=_("Employment rate"), unit="rate", order=61,
        figures=employment_rate_figures, rows=destination_rows,
        help=_("The Chinese definition: graduates employed, in further study, in entrepreneurship or in flexible "
               "employment, over all graduates of the year, from the destination at graduation. Enlisted and not "
               "yet employed graduates, and graduates with no record, count in the denominator only.")),
    Kpi(code="counterpart_rate", name=_("Counterpart rate"), unit="rate", order=62,
        figures=counterpart_rate_figures, rows=destination_rows,
        help=_("Of the graduates at work (employed, entrepreneurship, flexible employment) at graduation, the "
               "share whose job is counterpart to their major (unanswered counts as not counterpart).")),
    Kpi(code="entrepreneurship_rate", name=_("Entrepreneurship rate"), unit="rate", order=63,
        figures=entrepreneurship_rate_figures, rows=destination_rows,
        help=_("Graduates whose destination at graduation is entrepreneurship, over all graduates of the year.")),
    Kpi(code="salary_bands", name=_("Salary bands"), unit="count", order=64, figures=salary_bands_figures,
        help=_("Graduates at work at graduation who gave a monthly salary band, with the count in each band.")),
    Kpi(code="enterprise_satisfaction", name=_("Employer satisfaction"), unit="score", order=65,
        figures=enterprise_satisfaction_figures,
        help=_("Mean of employers' competency ratings (1–5) of interns and graduates given in the year, over every "
               "rating; the numerator is the number of ratings.")),
]
