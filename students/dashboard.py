"""The students app's figures on the school dashboard (contract: accounts/dashboard.py)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi, Row, summed_over_groups
from teachers.models import Competency

from .competitions.models import Competition, CompetitionEntry
from .profiles.figures import (
    grouped_aggregate,
    grouped_breakdown,
    student_scope_q,
    students_in_scope,
)
from .profiles.models import StudentProfile
from .radar.cohort_sums import cohort_sums_grouped
from .radar.models import StudentRadar

AWARD_RANKS = (CompetitionEntry.Rank.FIRST, CompetitionEntry.Rank.SECOND, CompetitionEntry.Rank.THIRD,
               CompetitionEntry.Rank.HONOURABLE)


def _students(scope, group_by):
    data = grouped_aggregate(students_in_scope(scope), scope=scope, group_by=group_by, n=Count("id"))
    return {key: Figure.count(values["n"] or 0) for key, values in data.items()}


def _rows_students(scope):
    profiles = students_in_scope(scope).filter(student_scope_q(scope)).select_related("user")
    return [Row(p.pk, p.student_number, p.user.name_for_display, str(p.get_status_display())) for p in profiles]


def _awards_queryset(scope, *, national_only: bool = False):
    qs = CompetitionEntry.objects.filter(status=CompetitionEntry.Status.VERIFIED, rank__in=AWARD_RANKS,
                                         competition__held_on__year=scope.year)
    if national_only:
        qs = qs.filter(competition__level=Competition.Level.NATIONAL)
    return qs


def _awards(scope, group_by):
    data = grouped_breakdown(_awards_queryset(scope), scope=scope, group_by=group_by, student_path="student",
                             label_field="competition__level", aggregate=Count("id"))
    labels = dict(Competition.Level.choices)
    return {key: Figure.count(sum(levels.values()), {str(labels.get(level, level)): n for level, n in levels.items()})
            for key, levels in data.items()}


def _national_awards(scope, group_by):
    data = grouped_aggregate(_awards_queryset(scope, national_only=True), scope=scope, group_by=group_by,
                             student_path="student", n=Count("id"))
    return {key: Figure.count(values["n"] or 0) for key, values in data.items()}


def _award_rows(scope, *, national_only: bool = False):
    counts = (_awards_queryset(scope, national_only=national_only).filter(student_scope_q(scope, student_path="student"))
              .order_by().values("student_id").annotate(n=Count("id")))
    by_student = {row["student_id"]: row["n"] for row in counts}
    profiles = StudentProfile.objects.filter(pk__in=by_student).select_related("user")
    return [Row(p.pk, p.student_number, p.user.name_for_display, str(by_student[p.pk])) for p in profiles]


def _radar_sums(scope, group_by) -> tuple[dict, dict]:
    """({None: {competency: mean}}, {group: {competency: mean}}) over the students in scope (intake
    cohorts year−3 … year), from the stored per-cohort, per-class sums (students.radar.cohort_sums:
    kept in step with the attainments), added up per group and competency in SQL: a few thousand
    rows instead of the 700,000 attainments of a large school. A competency's mean over the scope
    is its groups' totals over their counts."""
    overall: dict = {}
    groups: dict = {}
    for key, competency, total, n in cohort_sums_grouped(
            intake_years=(scope.year - 3, scope.year), major_code=scope.major_code, class_id=scope.class_id,
            group_by=group_by):
        sums = overall.setdefault(competency, [0.0, 0])
        sums[0] += total
        sums[1] += n
        if group_by is not None:
            groups.setdefault(key, {})[competency] = total / n
    return {None: {c: total / n for c, (total, n) in overall.items()}}, groups


def _radar(scope, group_by):
    """Mean attainment (0..1) over every (student, competency) pair of the students in scope.
    Competencies belong to a major, so the per-competency breakdown is given inside a major's
    scope only (a school-wide list would mix the majors' axes)."""
    overall, groups = _radar_sums(scope, group_by)
    return _radar_figures(overall if group_by is None else groups, _competency_names(scope))


def _radar_with_groups(scope, group_by):
    """The scope's figure and its groups' from the same grouped sums (one query)."""
    overall, groups = _radar_sums(scope, group_by)
    names = _competency_names(scope)
    return _radar_figures(overall, names), _radar_figures(groups, names)


def _competency_names(scope) -> dict:
    """The breakdown's labels: a major's competencies, inside a major's scope only."""
    if not scope.major_code:
        return {}
    return dict(Competency.objects.filter(major__code=scope.major_code).values_list("id", "name"))


def _radar_figures(per_competency: dict, names: dict) -> dict:
    """{group: Figure} from {group: {competency id: mean attainment}}."""
    out = {}
    for key, means in per_competency.items():
        values = [v for v in means.values() if v is not None]
        breakdown = {names[k]: round(v or 0.0, 4) for k, v in means.items() if k in names}
        out[key] = Figure(value=(sum(values) / len(values)) if values else None, numerator=len(values),
                          breakdown=breakdown)
    return out


def _radar_rows(scope):
    profiles = students_in_scope(scope).filter(student_scope_q(scope)).select_related("user")
    areas = dict(StudentRadar.objects.filter(student__in=profiles).values_list("student_id", "area"))
    return [Row(p.pk, p.student_number, p.user.name_for_display, f"{areas.get(p.pk, 0.0):.3f}") for p in profiles]


DASHBOARD_KPIS = [
    Kpi(code="students", name=_("Students"), unit="count", order=10, figures=_students, rows=_rows_students,
        figures_with_groups=summed_over_groups(_students, "count"),
        help=_("Student profiles of the intake cohorts year−3 … year (three-year programmes: everyone on the "
               "rolls at some point of the calendar year), counted by their major and class.")),
    Kpi(code="competition_awards", name=_("Competition awards"), unit="count", order=60, figures=_awards,
        rows=_award_rows, figures_with_groups=summed_over_groups(_awards, "count"),
        help=_("Verified competition entries with a prize (first, second, third or honourable mention; not "
               "participation) in competitions held in the year, by the competition's level.")),
    Kpi(code="national_awards", name=_("National awards"), unit="count", order=61, figures=_national_awards,
        rows=lambda scope: _award_rows(scope, national_only=True),
        figures_with_groups=summed_over_groups(_national_awards, "count"),
        help=_("Verified prizes (first to honourable mention) in national-level competitions held in the year.")),
    Kpi(code="competency_radar", name=_("Competency attainment"), unit="score", order=65, figures=_radar,
        rows=_radar_rows, figures_with_groups=_radar_with_groups,
        help=_("Mean stored attainment (0–1) per competency of the radar of the students in scope (current "
               "values, from grades and practice evidence), and the mean over the competencies; per competency "
               "inside a major; rows show each student's radar area.")),
]
