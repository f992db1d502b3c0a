"""The teachers app's figure on the school dashboard (contract: accounts/dashboard.py)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi
from accounts.models import Role

from .models import Course
from .reform.models import CourseVersion


def cooperation_versions(year: int):
    """Approved course versions (created in `year`) whose reform had an enterprise reviewer."""
    return CourseVersion.objects.filter(created_at__year=year, reform__reviewers__reviewer__role=Role.ENTERPRISE)


def _cooperation_courses(scope, group_by):
    qs = cooperation_versions(scope.year)
    if scope.major_code:
        qs = qs.filter(course__major__code=scope.major_code)
    return {None: Figure.count(qs.values("id").distinct().count())}


def golden_courses(year: int, major_code: str | None = None):
    """Courses recognised as golden courses in the year or before (the plan's target counts them all)."""
    qs = Course.objects.exclude(golden_level="").filter(golden_year__lte=year)
    return qs.filter(major__code=major_code) if major_code else qs


def _golden_courses(scope, group_by):
    levels = dict(Course.GoldenLevel.choices)
    counts = dict(golden_courses(scope.year, scope.major_code).order_by().values_list("golden_level")
                  .annotate(n=Count("id")))
    return {None: Figure.count(sum(counts.values()), {str(levels[level]): n for level, n in sorted(counts.items())})}



DASHBOARD_KPIS = [
    Kpi(code="cooperation_courses", name=_("School–enterprise cooperation courses"), unit="count", order=70,
        figures=_cooperation_courses, school_wide_only=True,
        help=_("Course versions approved in the year from a course reform that an enterprise mentor reviewed "
               "(invited as a reviewer): the course was co-authored with an enterprise.")),
    Kpi(code="golden_courses", name=_("Golden courses"), unit="count", order=71, figures=_golden_courses,
        school_wide_only=True,
        help=_("Courses a school administrator recorded as golden courses (school, provincial or national "
               "level) recognised in the year or before, by level.")),
]
