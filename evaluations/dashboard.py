"""The evaluations app's figure on the school dashboard (contract: accounts/dashboard.py)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi, Row, summed_over_groups
from students.models import StudentProfile
from students.selectors import grouped_aggregate, student_scope_q

from .models import Round

EXCELLENT_FROM = 90.0


def _finalised_rounds(year: int):
    """Rounds with a final result (finalised, or closed after the appeal window), finalised in `year`."""
    return Round.objects.filter(status__in=(Round.Status.FINALISED, Round.Status.CLOSED),
                                current_result__isnull=False, finalised_at__year=year)


def _excellence(scope, group_by):
    data = grouped_aggregate(_finalised_rounds(scope.year), scope=scope, group_by=group_by, student_path="student",
                             n=Count("id"), excellent=Count("id", filter=Q(current_result__final__gte=EXCELLENT_FROM)))
    return {key: Figure.rate(v["excellent"] or 0, v["n"] or 0) for key, v in data.items()}


def _rows(scope):
    rounds = (_finalised_rounds(scope.year).filter(student_scope_q(scope, student_path="student")).order_by()
              .values("student_id").annotate(n=Count("id"),
                                             excellent=Count("id", filter=Q(current_result__final__gte=EXCELLENT_FROM))))
    by_student = {r["student_id"]: r for r in rounds}
    profiles = StudentProfile.objects.filter(pk__in=by_student).select_related("user")
    return [Row(p.pk, p.student_number, p.user.name_for_display,
                f"{by_student[p.pk]['excellent']}/{by_student[p.pk]['n']}") for p in profiles]


DASHBOARD_KPIS = [
    Kpi(code="evaluation_excellence_rate", name=_("Evaluation excellence rate"), unit="rate", order=45,
        figures=_excellence, rows=_rows, figures_with_groups=summed_over_groups(_excellence, "rate"),
        help=_("Four-in-one evaluation rounds finalised in the year whose current result is 90 or more, over all "
               "rounds finalised in the year (a re-finalised round counts once, with its latest result).")),
]
