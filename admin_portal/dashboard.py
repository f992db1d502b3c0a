"""Figures that combine other apps' data with admin_portal's own records
(contract: accounts/dashboard.py)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi
from accounts.models import Organization, Role, User
from projects.dashboard import delivered_projects
from projects.models import TeamMember

from .models import Booking, Room, ServiceRecord

TEACHING_WEEKS = 40  # bookable weeks of a school year


def serving_teacher_ids(year: int):
    """Ids of teachers on the winning team of a project delivered in `year`, or with a consultancy
    record dated in `year` (a subquery; never evaluated in Python)."""
    on_projects = TeamMember.objects.filter(team__won_projects__in=delivered_projects(year)).values("user_id")
    consulting = ServiceRecord.objects.filter(kind=ServiceRecord.Kind.CONSULTANCY, provided_on__year=year)
    return Q(id__in=on_projects) | Q(id__in=consulting.values("teacher_id"))


def full_time_teachers():
    """Full-time teachers: active accounts with the teacher role (the school's own staff; enterprise
    mentors and industry masters have their own roles)."""
    return User.objects.filter(role=Role.TEACHER, is_active=True)


def _teachers_serving(scope, group_by):
    data = full_time_teachers().aggregate(total=Count("id"), serving=Count("id", filter=serving_teacher_ids(scope.year)))
    return {None: Figure.rate(data["serving"], data["total"])}


def served_enterprise_ids(year: int):
    services = ServiceRecord.objects.filter(kind=ServiceRecord.Kind.TECHNICAL_SERVICE, provided_on__year=year)
    return Q(id__in=delivered_projects(year).values("enterprise_id")) | Q(id__in=services.values("enterprise_id"))


def _enterprises_served(scope, group_by):
    qs = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)
    data = qs.aggregate(served=Count("id", filter=served_enterprise_ids(scope.year)))
    return {None: Figure.count(data["served"])}


def room_capacity_minutes() -> int:
    return (Room.objects.filter(is_active=True).aggregate(h=Sum("weekly_hours"))["h"] or 0) * TEACHING_WEEKS * 60


def _utilisation(scope, group_by):
    booked = Booking.objects.filter(starts_at__year=scope.year, room__is_active=True).aggregate(m=Sum("minutes"))["m"]
    return {None: Figure.rate(int(booked or 0), room_capacity_minutes())}


DASHBOARD_KPIS = [
    Kpi(code="teachers_serving_enterprises", name=_("Teachers serving enterprises"), unit="rate", order=75,
        figures=_teachers_serving, school_wide_only=True,
        help=_("Full-time teachers (active teacher accounts) who were on the winning team of a project delivered "
               "in the year or have a consultancy record dated in the year, over all full-time teachers.")),
    Kpi(code="enterprises_served", name=_("Enterprises served"), unit="count", order=76,
        figures=_enterprises_served, school_wide_only=True,
        help=_("Distinct enterprises with a project delivered in the year or a technical service recorded "
               "in the year.")),
    Kpi(code="equipment_utilisation", name=_("Training-room utilisation"), unit="rate", order=80,
        figures=_utilisation, school_wide_only=True,
        help=_("Booked minutes of rooms in use, in bookings starting in the year, over their bookable hours per "
               "week × 40 teaching weeks.")),
]


def school_rows(code: str, year: int) -> list[tuple[str, str]] | None:
    """The rows behind a school-wide figure that has no students behind it: (who, why), or None."""
    from django.utils.translation import gettext as _g

    if code == "teachers_serving_enterprises":
        on_projects = set(TeamMember.objects.filter(team__won_projects__in=delivered_projects(year))
                          .values_list("user_id", flat=True))
        consulting = set(ServiceRecord.objects.filter(kind=ServiceRecord.Kind.CONSULTANCY, provided_on__year=year)
                         .values_list("teacher_id", flat=True))
        teachers = full_time_teachers().filter(serving_teacher_ids(year)).order_by("username")
        return [(t.name_for_display, " · ".join(
            ([_g("delivered project")] if t.pk in on_projects else []) + ([_g("consultancy")] if t.pk in consulting else [])))
            for t in teachers]
    if code == "enterprises_served":
        projects = set(delivered_projects(year).values_list("enterprise_id", flat=True))
        services = set(ServiceRecord.objects.filter(kind=ServiceRecord.Kind.TECHNICAL_SERVICE, provided_on__year=year)
                       .values_list("enterprise_id", flat=True))
        enterprises = Organization.objects.filter(served_enterprise_ids(year)).order_by("name")
        return [(e.name, " · ".join(([_g("delivered project")] if e.pk in projects else [])
                                    + ([_g("technical service")] if e.pk in services else []))) for e in enterprises]
    if code == "cooperation_courses":
        from teachers.dashboard import cooperation_versions

        versions = cooperation_versions(year).select_related("course").distinct().order_by("course__code", "number")
        return [(f"{v.course.code} {v.course.display_name}", f"v{v.number}") for v in versions]
    if code == "golden_courses":
        from teachers.dashboard import golden_courses

        return [(f"{c.code} {c.display_name}", f"{c.get_golden_level_display()} · {c.golden_year}")
                for c in golden_courses(year).select_related("major").order_by("golden_year", "code")]
    return None
