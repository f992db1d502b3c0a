"""Writes for studios, teams and the order-based project lifecycle:
publish → moderation → bids → selection → milestones → delivery → rating → points.

Keyword-only, atomic and audited; every check raises ApplicationError before anything
is written, so bad input leaves nothing half-written."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Membership, Organization, Role, User
from accounts.services import audit_log_record, notification_send
from students.models import PointSource, StudentProfile
from students.services import points_grant

from .models import Bid, Milestone, MilestoneSubmission, Project, ProjectRating, Studio, StudioMember, Team, TeamMember
from .permissions import is_enterprise_member
from .uploads import CheckedUpload, stored_file_fields

# --- Studios -------------------------------------------------------------------


@transaction.atomic
def studio_apply(*, actor: User, studio: Studio, motivation: str = "") -> StudioMember:
    if actor.role != Role.STUDENT:
        raise NotPermitted(_("Only students apply to join a studio."))
    if not studio.is_open:
        raise ApplicationError(_("This studio is not accepting applications."), code="studio_closed")
    if StudioMember.objects.filter(studio=studio, user=actor).exists():
        raise ApplicationError(_("You have already applied to this studio."), code="already_applied")
    member = StudioMember.objects.create(studio=studio, user=actor, role=StudioMember.Role.STUDENT,
                                         motivation=motivation.strip()[:2000])
    leads = studio.members.filter(role=StudioMember.Role.LEAD, status=StudioMember.Status.ADMITTED)
    notification_send(recipients=leads.values_list("user_id", flat=True),
                      title=gettext_noop("%(student)s applied to join %(studio)s"),
                      params={"student": actor.name_for_display, "studio": studio.title},
                      url=reverse("projects:studio_detail", args=[studio.pk]))
    audit_log_record(actor=actor, action="studio.apply", target=member)
    return member


def user_leads_studio(*, user: User, studio: Studio) -> bool:
    return user.role == Role.SCHOOL_ADMIN or StudioMember.objects.filter(
        studio=studio, user=user, role=StudioMember.Role.LEAD, status=StudioMember.Status.ADMITTED).exists()


@transaction.atomic
def studio_application_decide(*, actor: User, member: StudioMember, admit: bool) -> StudioMember:
    if not user_leads_studio(user=actor, studio=member.studio):
        raise NotPermitted(_("Only the studio's lead teachers decide on applications."))
    member = StudioMember.objects.select_for_update().get(pk=member.pk)
    if member.status != StudioMember.Status.APPLIED:
        raise ApplicationError(_("This application has already been decided."), code="already_decided")
    member.status = StudioMember.Status.ADMITTED if admit else StudioMember.Status.DECLINED
    member.decided_at = timezone.now()
    member.save(update_fields=["status", "decided_at"])
    notification_send(recipients=[member.user_id],
                      title=gettext_noop("You were admitted to %(studio)s") if admit
                      else gettext_noop("Your application to %(studio)s was declined"),
                      params={"studio": member.studio.title},
                      url=reverse("projects:studio_detail", args=[member.studio_id]))
    audit_log_record(actor=actor, action="studio.admit" if admit else "studio.decline", target=member)
    return member


# --- Teams ---------------------------------------------------------------------


def _users_by_username(usernames: Iterable[str]) -> list[User]:
    names = [n.strip() for n in usernames if n and n.strip()]
    if len(set(names)) != len(names):
        raise ApplicationError(_("A member is listed twice."), code="duplicate_member")
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    missing = [n for n in names if n not in users]
    if missing:
        raise ApplicationError(_("No such user: %(names)s") % {"names": ", ".join(missing)}, code="unknown_member")
    wrong = [n for n in names if users[n].role not in (Role.STUDENT, Role.TEACHER)]
    if wrong:
        raise ApplicationError(_("Only students and teachers join teams: %(names)s") % {"names": ", ".join(wrong)},
                               code="member_role")
    return [users[n] for n in names]


@transaction.atomic
def team_create(*, actor: User, name: str, member_usernames: Sequence[str] = (), studio: Studio | None = None,
                shares: dict[str, int] | None = None) -> Team:
    """A team led by its creator. `shares` {username: relative share of reward points}."""
    if actor.role not in (Role.STUDENT, Role.TEACHER):
        raise NotPermitted(_("Only students and teachers form teams."))
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the team a name."), code="name_required")
    others = [u for u in _users_by_username(member_usernames) if u.pk != actor.pk]
    if studio is not None:
        admitted = set(StudioMember.objects.filter(studio=studio, status=StudioMember.Status.ADMITTED)
                       .values_list("user_id", flat=True))
        outside = [u.username for u in [actor, *others] if u.pk not in admitted]
        if outside:
            raise ApplicationError(_("Not admitted to the studio: %(names)s") % {"names": ", ".join(outside)},
                                   code="not_in_studio")
    shares = shares or {}
    if any(not isinstance(v, int) or v < 0 or v > 100 for v in shares.values()):
        raise ApplicationError(_("Shares are whole numbers from 0 to 100."), code="invalid_share")
    team = Team.objects.create(name=name[:120], studio=studio, created_by=actor)
    rows = [TeamMember(team=team, user=actor, share=shares.get(actor.username, 1),
                       role=TeamMember.Role.LEADER if actor.role == Role.STUDENT else TeamMember.Role.TEACHER)]
    rows += [TeamMember(team=team, user=u, share=shares.get(u.username, 1),
                        role=TeamMember.Role.MEMBER if u.role == Role.STUDENT else TeamMember.Role.TEACHER)
             for u in others]
    TeamMember.objects.bulk_create(rows)
    audit_log_record(actor=actor, action="team.create", target=team, data={"members": [r.user_id for r in rows]})
    return team


def user_in_team(*, user: User, team: Team) -> bool:
    return TeamMember.objects.filter(team=team, user=user).exists()


# --- Projects: publish and moderate ----------------------------------------------

PROJECT_FIELDS = ("title", "title_en", "brief", "deliverables", "reward_points", "reward_money", "bid_deadline",
                  "due_date", "team_size_max")


def _project_validate(data: dict) -> None:
    if not str(data.get("title") or "").strip() or not str(data.get("brief") or "").strip():
        raise ApplicationError(_("A project needs a title and a brief."), code="missing_fields")
    if not str(data.get("deliverables") or "").strip():
        raise ApplicationError(_("List the deliverables."), code="missing_fields")
    if int(data.get("team_size_max") or 0) < 1:
        raise ApplicationError(_("The team size must be at least 1."), code="team_size")
    if int(data.get("reward_points") or 0) < 1:
        raise ApplicationError(_("The reward must be at least 1 point."), code="reward_points")
    if data.get("reward_money") is not None and Decimal(data["reward_money"]) < 0:
        raise ApplicationError(_("The money reward cannot be negative."), code="reward_money")
    deadline, due = data.get("bid_deadline"), data.get("due_date")
    if deadline is None or due is None:
        raise ApplicationError(_("Give a bid deadline and a delivery date."), code="missing_dates")
    if deadline <= timezone.now():
        raise ApplicationError(_("The bid deadline must be in the future."), code="deadline_past")
    if due < timezone.localdate(deadline):
        raise ApplicationError(_("The delivery date cannot be before the bid deadline."), code="due_before_deadline")


@transaction.atomic
def project_create(*, actor: User, enterprise: Organization, competency_ids: Sequence[int] = (),
                   submit: bool = True, **fields) -> Project:
    """An enterprise drafts a project; with `submit` it goes straight to moderation."""
    if enterprise.kind != Organization.Kind.ENTERPRISE or not is_enterprise_member(actor, enterprise.pk):
        raise NotPermitted(_("Only the enterprise's staff publish its projects."))
    data = {k: fields.get(k) for k in PROJECT_FIELDS}
    _project_validate(data)
    from teachers.models import Competency

    competencies = list(Competency.objects.filter(pk__in=list(competency_ids)))
    if len(competencies) != len(set(competency_ids)):
        raise ApplicationError(_("Unknown competency."), code="unknown_competency")
    project = Project.objects.create(enterprise=enterprise, created_by=actor, status=Project.Status.DRAFT,
                                     **{k: v for k, v in data.items() if v is not None})
    project.required_competencies.set(competencies)
    audit_log_record(actor=actor, action="project.create", target=project)
    if submit:
        project = project_submit(actor=actor, project=project)
    return project


@transaction.atomic
def project_submit(*, actor: User, project: Project) -> Project:
    if not is_enterprise_member(actor, project.enterprise_id):
        raise NotPermitted(_("Only the enterprise's staff submit its projects."))
    if project.status not in (Project.Status.DRAFT, Project.Status.RETURNED):
        raise ApplicationError(_("Only drafts and returned projects are submitted for moderation."), code="state")
    project.status = Project.Status.PENDING
    project.save(update_fields=["status", "updated_at"])
    admins = User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True).values_list("pk", flat=True)
    notification_send(recipients=admins, title=gettext_noop("Project to moderate: %(title)s"),
                      params={"title": project.title}, url=reverse("projects:project_detail", args=[project.pk]))
    audit_log_record(actor=actor, action="project.submit", target=project)
    return project


@transaction.atomic
def project_moderate(*, actor: User, project: Project, approve: bool, note: str = "") -> Project:
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators moderate projects."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != Project.Status.PENDING:
        raise ApplicationError(_("This project is not awaiting moderation."), code="state")
    if not approve and not note.strip():
        raise ApplicationError(_("Say why the project is returned."), code="note_required")
    if approve and project.bid_deadline <= timezone.now():
        raise ApplicationError(_("The bid deadline has passed; the enterprise must set a new one."),
                               code="deadline_past")
    project.status = Project.Status.OPEN if approve else Project.Status.RETURNED
    project.moderation_note = note.strip()
    project.moderated_by = actor
    project.save(update_fields=["status", "moderation_note", "moderated_by", "updated_at"])
    staff = Membership.objects.filter(organization_id=project.enterprise_id).values_list("user_id", flat=True)
    notification_send(recipients=staff,
                      title=gettext_noop("Project published: %(title)s") if approve
                      else gettext_noop("Project returned by the school: %(title)s"),
                      params={"title": project.title}, url=reverse("projects:project_detail", args=[project.pk]))
    audit_log_record(actor=actor, action="project.approve" if approve else "project.return", target=project,
                     data={"note": note[:500]})
    return project


# --- Bids and selection ----------------------------------------------------------


@transaction.atomic
def bid_submit(*, actor: User, project: Project, team: Team, proposal: str, plan: str) -> Bid:
    if not user_in_team(user=actor, team=team):
        raise NotPermitted(_("Only members of the team bid for it."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != Project.Status.OPEN:
        raise ApplicationError(_("This project is not open for bids."), code="not_open")
    if timezone.now() > project.bid_deadline:
        raise ApplicationError(_("The bid deadline has passed."), code="deadline_passed")
    size = team.members.count()
    if size > project.team_size_max:
        raise ApplicationError(_("The team has %(size)d members; this project takes at most %(max)d.")
                               % {"size": size, "max": project.team_size_max}, code="team_too_large")
    if not proposal.strip() or not plan.strip():
        raise ApplicationError(_("A bid needs a proposal and a plan."), code="missing_fields")
    if Bid.objects.filter(project=project, team=team).exists():
        raise ApplicationError(_("This team has already bid for the project."), code="already_bid")
    bid = Bid.objects.create(project=project, team=team, proposal=proposal.strip(), plan=plan.strip(),
                             submitted_by=actor)
    staff = Membership.objects.filter(organization_id=project.enterprise_id).values_list("user_id", flat=True)
    notification_send(recipients=staff, title=gettext_noop("New bid from %(team)s for %(title)s"),
                      params={"team": team.name, "title": project.title},
                      url=reverse("projects:project_detail", args=[project.pk]))
    audit_log_record(actor=actor, action="bid.submit", target=bid)
    return bid


def _parse_milestones(rows: Sequence[dict], project: Project) -> list[Milestone]:
    milestones = []
    for order, row in enumerate(rows, start=1):
        title = str(row.get("title") or "").strip()
        due = row.get("due_date")
        if isinstance(due, str):
            try:
                due = datetime.date.fromisoformat(due)
            except ValueError:
                due = None
        if not title or not isinstance(due, datetime.date):
            raise ApplicationError(_("Each milestone needs a title and a due date."), code="invalid_milestone")
        milestones.append(Milestone(project=project, order=order, title=title[:200], due_date=due,
                                    description=str(row.get("description") or "")))
    return milestones


@transaction.atomic
def bid_select(*, actor: User, bid: Bid, milestones: Sequence[dict] = ()) -> Project:
    """The enterprise picks one team; the others are told. Milestones come with the
    selection (one final delivery milestone when none are given)."""
    project = Project.objects.select_for_update().get(pk=bid.project_id)
    if not is_enterprise_member(actor, project.enterprise_id):
        raise NotPermitted(_("Only the enterprise's staff select a team."))
    if project.status != Project.Status.OPEN:
        raise ApplicationError(_("A team has already been selected, or the project is not open."), code="state")
    if bid.status != Bid.Status.SUBMITTED:
        raise ApplicationError(_("This bid cannot be selected."), code="state")
    rows = list(milestones) or [{"title": gettext_noop("Final delivery"), "due_date": project.due_date}]
    Milestone.objects.bulk_create(_parse_milestones(rows, project))
    others = list(project.bids.exclude(pk=bid.pk).filter(status=Bid.Status.SUBMITTED))
    project.bids.filter(pk__in=[b.pk for b in others]).update(status=Bid.Status.NOT_SELECTED)
    Bid.objects.filter(pk=bid.pk).update(status=Bid.Status.SELECTED)
    project.selected_team_id = bid.team_id
    project.status = Project.Status.IN_PROGRESS
    project.save(update_fields=["selected_team", "status", "updated_at"])
    url = reverse("projects:project_detail", args=[project.pk])
    notification_send(recipients=TeamMember.objects.filter(team_id=bid.team_id).values_list("user_id", flat=True),
                      title=gettext_noop("Your team was selected for %(title)s"), params={"title": project.title},
                      url=url)
    losers = TeamMember.objects.filter(team_id__in=[b.team_id for b in others]).values_list("user_id", flat=True)
    notification_send(recipients=losers, title=gettext_noop("Another team was selected for %(title)s"),
                      params={"title": project.title}, url=url)
    audit_log_record(actor=actor, action="bid.select", target=bid, data={"not_selected": [b.pk for b in others]})
    return project


# --- Milestones, delivery, rating --------------------------------------------------


@transaction.atomic
def milestone_submit(*, actor: User, milestone: Milestone, checked: CheckedUpload, note: str = "") -> MilestoneSubmission:
    """The selected team hands in a milestone's deliverable (already checked by content)."""
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    project = milestone.project
    if project.selected_team_id is None or not TeamMember.objects.filter(team_id=project.selected_team_id,
                                                                         user=actor).exists():
        raise NotPermitted(_("Only the selected team hands in deliverables."))
    if project.status != Project.Status.IN_PROGRESS or milestone.status not in (Milestone.Status.PENDING,
                                                                                Milestone.Status.RETURNED):
        raise ApplicationError(_("This milestone is not waiting for a deliverable."), code="state")
    submission = MilestoneSubmission(milestone=milestone, note=note.strip(), **stored_file_fields(checked, actor=actor))
    submission.file.save(f"milestone-{milestone.pk}.{checked.extension}", ContentFile(checked.data), save=False)
    try:
        submission.save()
        milestone.status = Milestone.Status.SUBMITTED
        milestone.save(update_fields=["status"])
        staff = Membership.objects.filter(organization_id=project.enterprise_id).values_list("user_id", flat=True)
        notification_send(recipients=staff, title=gettext_noop("Deliverable to review: %(milestone)s (%(title)s)"),
                          params={"milestone": milestone.title, "title": project.title},
                          url=reverse("projects:project_detail", args=[project.pk]))
        audit_log_record(actor=actor, action="milestone.submit", target=submission)
    except Exception:
        submission.file.delete(save=False)  # no stray file when the row is not written
        raise
    return submission


@transaction.atomic
def milestone_review(*, actor: User, milestone: Milestone, accept: bool, comment: str = "") -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    project = milestone.project
    if not is_enterprise_member(actor, project.enterprise_id):
        raise NotPermitted(_("Only the enterprise's staff review deliverables."))
    if milestone.status != Milestone.Status.SUBMITTED:
        raise ApplicationError(_("There is no deliverable waiting for review."), code="state")
    if not accept and not comment.strip():
        raise ApplicationError(_("Say what must change when you return a deliverable."), code="comment_required")
    milestone.status = Milestone.Status.ACCEPTED if accept else Milestone.Status.RETURNED
    milestone.review_comment = comment.strip()
    milestone.reviewed_at = timezone.now()
    milestone.save(update_fields=["status", "review_comment", "reviewed_at"])
    members = TeamMember.objects.filter(team_id=project.selected_team_id).values_list("user_id", flat=True)
    url = reverse("projects:project_detail", args=[project.pk])
    notification_send(recipients=members,
                      title=gettext_noop("Milestone accepted: %(milestone)s") if accept
                      else gettext_noop("Milestone returned with comments: %(milestone)s"),
                      params={"milestone": milestone.title}, url=url)
    if accept and not project.milestones.exclude(status=Milestone.Status.ACCEPTED).exists():
        Project.objects.filter(pk=project.pk).update(status=Project.Status.DELIVERED, delivered_at=timezone.now())
    audit_log_record(actor=actor, action="milestone.accept" if accept else "milestone.return", target=milestone)
    return milestone


def shares_split(total: int, shares: dict[int, int]) -> dict[int, int]:
    """Split `total` points by relative shares (largest remainder, so the parts add up)."""
    weight = sum(shares.values())
    if not shares:
        return {}
    if weight <= 0:
        shares, weight = dict.fromkeys(shares, 1), len(shares)
    exact = {key: Decimal(total) * share / weight for key, share in shares.items()}
    parts = {key: int(value) for key, value in exact.items()}
    left = total - sum(parts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - parts[k]), k))[:left]:
        parts[key] += 1
    return parts


@transaction.atomic
def project_rate(*, actor: User, project: Project, scores: dict[str, int], comment: str = "") -> ProjectRating:
    """The enterprise rates the delivered project on each criterion (1–5); each student
    member then gets the reward points by their share."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not is_enterprise_member(actor, project.enterprise_id):
        raise NotPermitted(_("Only the enterprise's staff rate its projects."))
    if project.status != Project.Status.DELIVERED:
        raise ApplicationError(_("Only a delivered project is rated."), code="state")
    if set(scores) != set(ProjectRating.CRITERIA) or any(
            not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 5 for v in scores.values()):
        raise ApplicationError(_("Rate every criterion from 1 to 5."), code="invalid_scores")
    mean = Decimal(sum(scores.values())) / len(scores)
    score = ((mean - 1) / 4 * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    rating = ProjectRating.objects.create(project=project, scores=scores, score=score, comment=comment.strip(),
                                          rated_by=actor)
    project.status = Project.Status.COMPLETED
    project.save(update_fields=["status", "updated_at"])
    members = list(TeamMember.objects.filter(team_id=project.selected_team_id, user__role=Role.STUDENT))
    profiles = dict(StudentProfile.objects.filter(user_id__in=[m.user_id for m in members]).values_list("user_id", "pk"))
    split = shares_split(project.reward_points, {m.user_id: m.share for m in members if m.user_id in profiles})
    for user_id, amount in split.items():
        if amount > 0:
            points_grant(actor=actor, student=profiles[user_id], source=PointSource.PROJECT_DELIVERY, amount=amount,
                         reason=gettext_noop("Project delivered: %(title)s"), reason_params={"title": project.title},
                         reference=f"project:{project.pk}:user:{user_id}")
    notification_send(recipients=TeamMember.objects.filter(team_id=project.selected_team_id)
                      .values_list("user_id", flat=True),
                      title=gettext_noop("%(title)s was rated %(score)s / 100"),
                      params={"title": project.title, "score": f"{score:g}"},
                      url=reverse("projects:project_detail", args=[project.pk]))
    audit_log_record(actor=actor, action="project.rate", target=rating,
                     data={"scores": scores, "points": {str(k): v for k, v in split.items()}})
    return rating
