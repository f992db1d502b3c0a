"""Builders for projects tests: an enterprise with staff, students, teams, projects in a state."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from accounts.models import Membership, Organization, Role
from projects.models import Bid, Milestone, Project, Team, TeamMember
from tests.factories import OrganizationFactory, UserFactory
from tests.growth import factories as growth

_seq = itertools.count(1)


def enterprise(user=None, *, code: str | None = None) -> tuple[Organization, object]:
    n = next(_seq)
    org = OrganizationFactory(kind=Organization.Kind.ENTERPRISE, code=code or f"pj-ent-{n}")
    user = user or UserFactory(username=f"pj_hr{n}", role=Role.ENTERPRISE)
    Membership.objects.get_or_create(organization=org, user=user)
    return org, user


def student(user=None, *, number: str | None = None, klass=None):
    return growth.student(user=user, number=number, klass=klass)


def team(*members, name: str = "", studio=None, shares: dict | None = None) -> Team:
    """members: users; the first leads."""
    team = Team.objects.create(name=name or f"Team {next(_seq)}", created_by=members[0], studio=studio)
    for i, user in enumerate(members):
        role = TeamMember.Role.TEACHER if user.role == Role.TEACHER else (
            TeamMember.Role.LEADER if i == 0 else TeamMember.Role.MEMBER)
        TeamMember.objects.create(team=team, user=user, role=role, share=(shares or {}).get(user.username, 1))
    return team


def project(org, creator, *, status: str = Project.Status.OPEN, team_size_max: int = 4, reward_points: int = 100,
            title: str = "") -> Project:
    now = timezone.now()
    return Project.objects.create(
        enterprise=org, created_by=creator, title=title or f"项目{next(_seq)}", brief="brief",
        deliverables="deliverables", reward_points=reward_points, bid_deadline=now + datetime.timedelta(days=7),
        due_date=(now + datetime.timedelta(days=30)).date(), team_size_max=team_size_max, status=status)


def project_in_progress(org, creator, the_team, **kwargs) -> tuple[Project, Milestone]:
    p = project(org, creator, status=Project.Status.IN_PROGRESS, **kwargs)
    Bid.objects.create(project=p, team=the_team, proposal="p", plan="p", submitted_by=the_team.created_by,
                       status=Bid.Status.SELECTED)
    p.selected_team = the_team
    p.save(update_fields=["selected_team"])
    milestone = Milestone.objects.create(project=p, order=1, title="Final", due_date=p.due_date)
    return p, milestone


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
