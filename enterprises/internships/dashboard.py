"""Internship figures for the school dashboard (contract: accounts/dashboard.py)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi, Row, Scope, summed_over_groups
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


LEVEL = "organization__enterprise_profile__cooperation_level"
FORMAL_LEVELS = (CooperationLevel.PRACTICE_BASE, CooperationLevel.STRATEGIC)


def _host_rows(scope: Scope, group_by) -> list[tuple]:
    """The distinct (group,) organisation and cooperation level of the placements running in the
    year, in one query: a few hundred rows at most (groups × host organisations), from which every
    distinct count below is taken, instead of one COUNT(DISTINCT) per figure (each a sort of the
    year's placements: 50,000 in the benchmark)."""
    first, last = _year(scope)
    qs = Placement.objects.filter(status__in=STARTED, starts_on__lte=last, ends_on__gte=first,
                                  student__in=_students(scope))
    fields = ([] if group_by is None else ["student__" + GROUP_FIELD[group_by]]) + ["organization_id", LEVEL]
    return list(qs.order_by().values_list(*fields).distinct())


def _hosts_figure(hosts: dict) -> Figure:
    """{organisation: cooperation level} → the count, broken down by level."""
    levels = list(hosts.values())
    return Figure.count(len(hosts), breakdown={value: float(levels.count(value)) for value in CooperationLevel.values})


def _groups_figures(rows: list[tuple]) -> dict:
    """(group, organisation, level) rows → per group: its host organisations, of them the formal bases."""
    hosts: dict = {}
    for key, organisation, level in rows:
        hosts.setdefault(key, {})[organisation] = level
    return {key: Figure.count(len(orgs), breakdown={CooperationLevel.PRACTICE_BASE.value: sum(
                level in FORMAL_LEVELS for level in orgs.values())})
            for key, orgs in sorted((k, v) for k, v in hosts.items() if k is not None)}


def practice_bases_figures(scope: Scope, group_by=None) -> dict:
    if group_by is None:
        return {None: _hosts_figure(dict(_host_rows(scope, None)))}
    return _groups_figures(_host_rows(scope, group_by))


def practice_bases_with_groups(scope: Scope, group_by) -> tuple[dict, dict]:
    """The school's (or a major's) figure and its groups' from the same distinct rows: an
    organisation hosting students of two majors counts once for the school, once in each major."""
    rows = _host_rows(scope, group_by)
    return {None: _hosts_figure({organisation: level for _key, organisation, level in rows})}, _groups_figures(rows)


INTERNSHIP_KPIS = [
    Kpi(code="internship_rate", name=_("Internship rate"),
        help=_("Students with an internship placement that ran during the year (active, finished or terminated, "
               "its dates overlapping the calendar year) over the students in scope (admitted by that year, "
               "neither graduated nor suspended)."),
        unit="rate", figures=internship_rate_figures, rows=internship_rate_rows, order=60,
        figures_with_groups=summed_over_groups(internship_rate_figures, "rate")),
    Kpi(code="practice_bases", name=_("Practice bases in use"),
        help=_("Organisations that hosted at least one placement running during the year; the breakdown shows "
               "their cooperation level (formal practice bases and strategic partners, partners, none)."),
        unit="count", figures=practice_bases_figures, order=61, figures_with_groups=practice_bases_with_groups),
]
