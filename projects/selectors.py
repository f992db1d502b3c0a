"""Reads for studios, teams and projects, scoped per user. `<thing>_get_for_user`
raises 404 for what the user may not see (no hint that it exists)."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User

from .models import (
    Bid,
    Milestone,
    MilestoneSubmission,
    Project,
    ProjectRating,
    Studio,
    StudioMember,
    Team,
    TeamMember,
    Venture,
)
from .permissions import enterprise_ids_for_user

PUBLISHED = (Project.Status.OPEN, Project.Status.IN_PROGRESS, Project.Status.DELIVERED, Project.Status.COMPLETED)
DONE = (Project.Status.DELIVERED, Project.Status.COMPLETED)


# --- Projects --------------------------------------------------------------------


def _projects_visible(user: User) -> QuerySet[Project]:
    qs = Project.objects.all()
    if user.role == Role.SCHOOL_ADMIN:
        return qs
    if user.role == Role.ENTERPRISE:
        return qs.filter(enterprise_id__in=enterprise_ids_for_user(user))
    if user.role in (Role.STUDENT, Role.TEACHER):
        return qs.filter(status__in=PUBLISHED)
    return qs.none()


def project_list_for_user(*, user: User, status: str = "", mine: bool = False, q: str = "") -> QuerySet[Project]:
    """The catalogue: students and teachers see published projects, enterprises their own,
    school administrators all. `mine`: projects the user's teams bid for."""
    # A correlated count, evaluated only for the rows of the page (a GROUP BY over every
    # visible project would be computed before the sort and the limit).
    bids = Bid.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk")).values("n")
    qs = _projects_visible(user).select_related("enterprise", "selected_team").annotate(
        bid_count=Coalesce(Subquery(bids, output_field=IntegerField()), 0))
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(Exists(Bid.objects.filter(project=OuterRef("pk"), team__members__user=user)))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(title_en__icontains=q))
    return qs.order_by("-created_at", "-id")


def project_get_for_user(*, user: User, project_id: int) -> Project:
    return get_object_or_404(
        _projects_visible(user).select_related("enterprise", "created_by", "selected_team", "moderated_by")
        .prefetch_related("required_competencies"), pk=project_id)


def user_on_selected_team(*, user: User, project: Project) -> bool:
    return project.selected_team_id is not None and TeamMember.objects.filter(
        team_id=project.selected_team_id, user=user).exists()


def bids_for_project(*, user: User, project: Project) -> QuerySet[Bid]:
    """Enterprises see every bid on their projects; teams only their own bids."""
    qs = Bid.objects.filter(project=project).select_related("team", "team__studio", "submitted_by").prefetch_related(
        Prefetch("team__members", queryset=TeamMember.objects.select_related("user")))
    if user.role == Role.SCHOOL_ADMIN or project.enterprise_id in enterprise_ids_for_user(user):
        return qs
    return qs.filter(team__members__user=user).distinct()


def bid_get_for_user(*, user: User, bid_id: int) -> Bid:
    bid = get_object_or_404(Bid.objects.select_related("project", "team"), pk=bid_id)
    if user.role == Role.SCHOOL_ADMIN or bid.project.enterprise_id in enterprise_ids_for_user(user):
        return bid
    if TeamMember.objects.filter(team_id=bid.team_id, user=user).exists():
        return bid
    raise Http404


def bid_list_for_user(*, user: User) -> QuerySet[Bid]:
    """The API's bid list: a team member's teams' bids, an enterprise's projects' bids."""
    qs = Bid.objects.select_related("project", "team")
    if user.role == Role.SCHOOL_ADMIN:
        return qs.order_by("-created_at", "-id")
    if user.role == Role.ENTERPRISE:
        return qs.filter(project__enterprise_id__in=enterprise_ids_for_user(user)).order_by("-created_at", "-id")
    return qs.filter(team__members__user=user).order_by("-created_at", "-id")


def milestones_for_project(*, project: Project) -> QuerySet[Milestone]:
    return Milestone.objects.filter(project=project).prefetch_related(
        Prefetch("submissions", queryset=MilestoneSubmission.objects.select_related("uploaded_by")))


def user_can_see_work(*, user: User, project: Project) -> bool:
    """Milestones and deliverables: the enterprise, the selected team, school administrators."""
    return (user.role == Role.SCHOOL_ADMIN or project.enterprise_id in enterprise_ids_for_user(user)
            or user_on_selected_team(user=user, project=project))


def submission_get_for_user(*, user: User, submission_id: int) -> MilestoneSubmission:
    submission = get_object_or_404(MilestoneSubmission.objects.select_related("milestone__project"),
                                   pk=submission_id)
    if not user_can_see_work(user=user, project=submission.milestone.project):
        raise Http404
    return submission


def milestone_get_for_user(*, user: User, milestone_id: int) -> Milestone:
    milestone = get_object_or_404(Milestone.objects.select_related("project"), pk=milestone_id)
    if not user_can_see_work(user=user, project=milestone.project):
        raise Http404
    return milestone


def projects_awaiting_moderation() -> QuerySet[Project]:
    return Project.objects.filter(status=Project.Status.PENDING).select_related("enterprise").order_by("created_at")


# --- Teams ------------------------------------------------------------------------


def teams_for_user(*, user: User) -> QuerySet[Team]:
    return (Team.objects.filter(members__user=user).select_related("studio", "venture").prefetch_related(
        Prefetch("members", queryset=TeamMember.objects.select_related("user"))).order_by("name", "id").distinct())


def team_get_for_user(*, user: User, team_id: int) -> Team:
    team = get_object_or_404(Team.objects.select_related("studio"), pk=team_id)
    if user.role == Role.SCHOOL_ADMIN or TeamMember.objects.filter(team=team, user=user).exists():
        return team
    raise Http404


# --- Studios -----------------------------------------------------------------------


def studio_list() -> QuerySet[Studio]:
    admitted = Q(members__status=StudioMember.Status.ADMITTED)
    return Studio.objects.annotate(
        student_count=Count("members", filter=admitted & Q(members__role=StudioMember.Role.STUDENT), distinct=True),
        staff_count=Count("members", filter=admitted & ~Q(members__role=StudioMember.Role.STUDENT), distinct=True),
    ).order_by("skill_area", "code")


def studio_get(*, studio_id: int) -> Studio:
    return get_object_or_404(Studio.objects.select_related("major"), pk=studio_id)


def studio_members(*, studio: Studio, status: str = StudioMember.Status.ADMITTED) -> QuerySet[StudioMember]:
    return studio.members.filter(status=status).select_related("user").order_by("role", "created_at", "id")


def studio_projects(*, studio: Studio) -> QuerySet[Project]:
    """Projects won by the studio's teams, newest first, with their rating."""
    return (Project.objects.filter(selected_team__studio=studio).select_related("enterprise", "selected_team", "rating")
            .order_by("-created_at", "-id"))


def studio_outputs(*, studio: Studio, limit: int = 20) -> list[MilestoneSubmission]:
    """Accepted deliverables of the studio's projects: its portfolio."""
    return list(MilestoneSubmission.objects.filter(milestone__project__selected_team__studio=studio,
                                                   milestone__status=Milestone.Status.ACCEPTED)
                .select_related("milestone__project").order_by("-created_at", "-id")[:limit])


def studio_membership_of(*, user: User, studio: Studio) -> StudioMember | None:
    return StudioMember.objects.filter(studio=studio, user=user).first()


# --- For other apps: practice evidence and construction-plan figures --------------


def project_practice_evidence(*, project_id: int) -> dict | None:
    """A rated project as practice evidence (read by the evaluations app, issue 13):
    its rating (0–100), the criteria, the required competencies and the students who
    delivered it. None while the project is not rated."""
    rating = ProjectRating.objects.filter(project_id=project_id).select_related("project").first()
    if rating is None:
        return None
    project = rating.project
    return {
        "project_id": project.pk,
        "title": project.title,
        "enterprise_id": project.enterprise_id,
        "score": float(rating.score),
        "criteria": dict(rating.scores),
        "rated_at": rating.rated_at,
        "competency_ids": list(project.required_competencies.values_list("pk", flat=True)),
        "student_user_ids": list(TeamMember.objects.filter(team_id=project.selected_team_id,
                                                           user__role=Role.STUDENT).values_list("user_id", flat=True)),
    }


def rated_projects_for_student(*, user_id: int) -> list[dict]:
    """Every rated project a student delivered, as practice evidence."""
    ids = Project.objects.filter(status=Project.Status.COMPLETED, selected_team__members__user_id=user_id) \
        .values_list("pk", flat=True)
    return [evidence for pk in ids if (evidence := project_practice_evidence(project_id=pk))]


def delivered_projects_for_user(*, user: User) -> QuerySet[Project]:
    """For the resume: completed projects the user's team delivered, with the rating."""
    return (Project.objects.filter(status=Project.Status.COMPLETED, selected_team__members__user=user)
            .select_related("enterprise", "rating", "selected_team").order_by("-delivered_at", "-id"))


def service_figures() -> dict:
    """Construction-plan figures: teachers serving enterprises (on a team of a delivered
    project), enterprises served, entrepreneurship teams by stage."""
    done = Project.objects.filter(status__in=DONE)
    teachers = TeamMember.objects.filter(team__won_projects__in=done, user__role=Role.TEACHER) \
        .values("user_id").distinct().count()
    enterprises = done.values("enterprise_id").distinct().count()
    stages = dict(Venture.objects.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    return {"teachers_serving_enterprises": teachers, "enterprises_served": enterprises,
            "projects_delivered": done.count(), "ventures": sum(stages.values()), "ventures_by_stage": stages}


def venture_ids_for_user(*, user: User) -> set[int]:
    """Ventures the user may add milestones to: their team's, or those they mentor."""
    return set(Venture.objects.filter(Q(team__members__user=user) | Q(mentor=user)).values_list("pk", flat=True))


def ventures_list() -> QuerySet[Venture]:
    return Venture.objects.select_related("team", "team__studio", "mentor").prefetch_related("milestones").annotate(
        member_count=Count("team__members", distinct=True)).order_by("-registered_at", "-id")
