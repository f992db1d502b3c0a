"""The projects app's figures on the school dashboard (contract: accounts/dashboard.py)."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi, Row
from students.models import StudentProfile
from students.selectors import grouped_aggregate, grouped_breakdown, student_scope_q

from .cohort_models import OrderClass, OrderClassMember
from .models import Project, Studio, StudioMember, TeamMember, Venture

DELIVERED = (Project.Status.DELIVERED, Project.Status.COMPLETED)
TEAM_STUDENT = "selected_team__members__user__student_profile"


def delivered_projects(year: int):
    """Projects delivered (awaiting rating or completed) with the delivery in `year`."""
    return Project.objects.filter(status__in=DELIVERED, delivered_at__year=year)


def _projects_delivered(scope, group_by):
    if group_by is None and not scope.major_code and not scope.class_id:
        return {None: Figure.count(delivered_projects(scope.year).count())}
    data = grouped_aggregate(delivered_projects(scope.year), scope=scope, group_by=group_by, student_path=TEAM_STUDENT,
                             n=Count("id", distinct=True))
    return {key: Figure.count(v["n"] or 0) for key, v in data.items()}


def _student_rows(scope, member_qs, student_field: str):
    counts = dict(member_qs.filter(student_scope_q(scope, student_path=student_field)).order_by()
                  .values_list(f"{student_field}__id").annotate(n=Count("id")))
    profiles = StudentProfile.objects.filter(pk__in=counts).select_related("user")
    return [Row(p.pk, p.student_number, p.user.name_for_display, str(counts[p.pk])) for p in profiles]


def _projects_rows(scope):
    members = TeamMember.objects.filter(team__won_projects__in=delivered_projects(scope.year),
                                        user__student_profile__isnull=False)
    return _student_rows(scope, members, "user__student_profile")


def _order_classes(year: int):
    return OrderClass.objects.filter(intake_year__gte=year - 3, intake_year__lte=year)


def _order_class_places(scope, group_by):
    members = OrderClassMember.objects.filter(order_class__in=_order_classes(scope.year))
    filled = grouped_aggregate(members, scope=scope, group_by=group_by, student_path="student", n=Count("id"))
    capacity: dict = {}
    if group_by in (None, "major") and not scope.class_id:
        classes = _order_classes(scope.year)
        if scope.major_code:
            classes = classes.filter(major__code=scope.major_code)
        if group_by is None:
            capacity = {None: classes.aggregate(c=Sum("capacity"))["c"] or 0}
        else:
            capacity = dict(classes.order_by().values_list("major__code").annotate(c=Sum("capacity")))
    out = {}
    for key in set(filled) | set(capacity):
        n = (filled.get(key) or {}).get("n") or 0
        cap = capacity.get(key)
        out[key] = (Figure(value=float(n), numerator=n, denominator=cap, breakdown={"capacity": float(cap)})
                    if cap is not None else Figure.count(n))
    return out


def _order_class_rows(scope):
    members = OrderClassMember.objects.filter(order_class__in=_order_classes(scope.year))
    return _student_rows(scope, members, "student")


def _studio_members_qs(year: int):
    return StudioMember.objects.filter(role=StudioMember.Role.STUDENT, status=StudioMember.Status.ADMITTED,
                                       created_at__year__lte=year)


def _studio_members(scope, group_by):
    data = grouped_breakdown(_studio_members_qs(scope.year), scope=scope, group_by=group_by,
                             student_path="user__student_profile", label_field="studio__skill_area",
                             aggregate=Count("user_id", distinct=True))
    labels = dict(Studio.SkillArea.choices)
    studios = Studio.objects.filter(created_at__year__lte=scope.year).count() if group_by is None else None
    out = {}
    for key, areas in data.items():
        breakdown = {str(labels.get(a, a)): float(n) for a, n in areas.items()}
        out[key] = Figure(value=float(sum(areas.values())), numerator=int(sum(areas.values())),
                          denominator=studios, breakdown=breakdown)
    return out


def _studio_rows(scope):
    return _student_rows(scope, _studio_members_qs(scope.year), "user__student_profile")


def _ventures(year: int):
    return Venture.objects.filter(registered_at__year__lte=year)


def _entrepreneurship_teams(scope, group_by):
    if group_by is None and not scope.major_code and not scope.class_id:
        data = grouped_breakdown(_ventures(scope.year), scope=scope, group_by=None, label_field="stage",
                                 aggregate=Count("id"))
    else:
        data = grouped_breakdown(_ventures(scope.year), scope=scope, group_by=group_by,
                                 student_path="team__members__user__student_profile", label_field="stage",
                                 aggregate=Count("id", distinct=True))
    labels = dict(Venture.Stage.choices)
    return {key: Figure.count(sum(stages.values()), {str(labels.get(s, s)): float(n) for s, n in stages.items()})
            for key, stages in data.items()}


def _venture_rows(scope):
    members = TeamMember.objects.filter(team__venture__in=_ventures(scope.year), user__student_profile__isnull=False)
    return _student_rows(scope, members, "user__student_profile")


def _studios(scope, group_by):
    return {None: Figure.count(Studio.objects.filter(created_at__year__lte=scope.year).count())}


DASHBOARD_KPIS = [
    Kpi(code="projects_delivered", name=_("Projects delivered"), unit="count", order=50,
        figures=_projects_delivered, rows=_projects_rows,
        help=_("Order-based projects delivered in the year (status delivered or completed, by delivery date); "
               "by major or class: distinct projects whose winning team has a student of it.")),
    Kpi(code="order_class_places", name=_("Order-class places filled"), unit="count", order=52,
        figures=_order_class_places, rows=_order_class_rows,
        help=_("Members of order classes for the intake cohorts year−3 … year, against the classes' total "
               "capacity (school-wide and per major; a class of students has no capacity of its own).")),
    Kpi(code="studio_members", name=_("Studio members"), unit="count", order=54, figures=_studio_members,
        rows=_studio_rows,
        help=_("Students admitted to a studio (joined by the end of the year), by the studio's skill area; "
               "school-wide the denominator is the number of studios.")),
    Kpi(code="studios", name=_("Studios"), unit="count", order=55, figures=_studios, school_wide_only=True,
        help=_("Studios created by the end of the year.")),
    Kpi(code="entrepreneurship_teams", name=_("Entrepreneurship teams"), unit="count", order=56,
        figures=_entrepreneurship_teams, rows=_venture_rows,
        help=_("Teams registered as entrepreneurship teams by the end of the year, by stage; by major or class: "
               "distinct teams with a student of it.")),
]
