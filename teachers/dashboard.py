"""The teachers app's figure on the school dashboard (contract: accounts/dashboard.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi
from accounts.models import Role

from .reform.models import CourseVersion


def cooperation_versions(year: int):
    """Approved course versions (created in `year`) whose reform had an enterprise reviewer."""
    return CourseVersion.objects.filter(created_at__year=year, reform__reviewers__reviewer__role=Role.ENTERPRISE)


def _cooperation_courses(scope, group_by):
    qs = cooperation_versions(scope.year)
    if scope.major_code:
        qs = qs.filter(course__major__code=scope.major_code)
    return {None: Figure.count(qs.values("id").distinct().count())}


DASHBOARD_KPIS = [
    Kpi(code="cooperation_courses", name=_("School–enterprise cooperation courses"), unit="count", order=70,
        figures=_cooperation_courses, school_wide_only=True,
        help=_("Course versions approved in the year from a course reform that an enterprise mentor reviewed "
               "(invited as a reviewer): the course was co-authored with an enterprise.")),
]
