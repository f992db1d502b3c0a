"""Internship figures for the school dashboard (contract: accounts/dashboard.py)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi, Row, Scope
from students.models import StudentProfile

from ..models import CooperationLevel
from .models import Placement

STARTED = (Placement.Status.ACTIVE, Placement.Status.FINISHED, Placement.Status.TERMINATED)
GROUP_FIELD = {"major": "major__code", "class": "school_class_id"}


def _year(scope: Scope) -> tuple[datetime.date, datetime.date]:
    return datetime.date(scope.year, 1, 1), datetime.date(scope.year, 12, 31)


def _students(scope: Scope):
    qs = StudentProfile.objects.filter(intake_year__lte=scope.year).exclude(
        status__in=[StudentProfile.Status.GRADUATED, StudentProfile.Status.SUSPENDED])
    if scope.major_code:
        qs = qs.filter(major__code=scope.major_code)
    if scope.class_id:
        qs = qs.filter(school_class_id=scope.class_id)
    return qs


def _placed_student_ids(scope: Scope):
    """Students with a placement that ran during the year (active, finished or terminated)."""
    first, last = _year(scope)
    return Placement.objects.filter(status__in=STARTED, starts_on__lte=last, ends_on__gte=first).values("student_id")


def internship_rate_figures(scope: Scope, group_by=None) -> dict:
    # One count of students with the placed ones filtered by a subquery (IN, which PostgreSQL
    # hashes once), rather than students LEFT JOINed to their placements and de-duplicated
    # (COUNT DISTINCT): a third of the time at 100,000 students and 50,000 placements.
    qs = _students(scope)
    placed = Count("pk", filter=Q(pk__in=_placed_student_ids(scope)))
    if group_by is None:
        totals = qs.aggregate(n=Count("pk"), placed=placed)
        return {None: Figure.rate(totals["placed"], totals["n"])}
    field = GROUP_FIELD[group_by]
    rows = qs.values(field).annotate(n=Count("pk"), placed=placed).order_by(field)
    return {row[field]: Figure.rate(row["placed"], row["n"]) for row in rows}


def internship_rate_rows(scope: Scope) -> list[Row]:
    first, last = _year(scope)
    placed = dict(Placement.objects.filter(student__in=_students(scope), status__in=STARTED, starts_on__lte=last,
                                           ends_on__gte=first).values_list("student_id", "organization__name"))
    return [Row(student_id=s.pk, student_number=s.student_number, name=s.user.name_for_display,
                value=placed.get(s.pk) or gettext("no placement"))
            for s in _students(scope).select_related("user").order_by("student_number")]


def practice_bases_figures(scope: Scope, group_by=None) -> dict:
    first, last = _year(scope)
    qs = Placement.objects.filter(status__in=STARTED, starts_on__lte=last, ends_on__gte=first,
                                  student__in=_students(scope))
    level = "organization__enterprise_profile__cooperation_level"
    if group_by is None:
        by_level = dict(qs.values(level).annotate(n=Count("organization", distinct=True)).values_list(level, "n"))
        total = qs.aggregate(n=Count("organization", distinct=True))["n"]
        breakdown = {value: float(by_level.get(value, 0)) for value in CooperationLevel.values}
        return {None: Figure.count(total, breakdown=breakdown)}
    field = "student__" + GROUP_FIELD[group_by]
    rows = qs.values(field).annotate(n=Count("organization", distinct=True),
                                     formal=Count("organization", distinct=True, filter=Q(**{
                                         f"{level}__in": [CooperationLevel.PRACTICE_BASE, CooperationLevel.STRATEGIC]})))
    return {row[field]: Figure.count(row["n"], breakdown={CooperationLevel.PRACTICE_BASE.value: row["formal"]})
            for row in rows.order_by(field)}


INTERNSHIP_KPIS = [
    Kpi(code="internship_rate", name=_("Internship rate"),
        help=_("Students with an internship placement that ran during the year (active, finished or terminated, "
               "its dates overlapping the calendar year) over the students in scope (admitted by that year, "
               "neither graduated nor suspended)."),
        unit="rate", figures=internship_rate_figures, rows=internship_rate_rows, order=60),
    Kpi(code="practice_bases", name=_("Practice bases in use"),
        help=_("Organisations that hosted at least one placement running during the year; the breakdown shows "
               "their cooperation level (formal practice bases and strategic partners, partners, none)."),
        unit="count", figures=practice_bases_figures, order=61),
]
