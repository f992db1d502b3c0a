"""Writes for course reform. The state machine:

    draft ──submit (≥1 reviewer)──▶ review ──approve (admin; every vote "approve")──▶ approved
      ▲                               │  └──reject (admin)──▶ rejected
      └──────revise (proposer)────────┘

Approval creates the next CourseVersion and applies its credits and competency weights to
the course's programs from the chosen intake year onwards; earlier cohorts keep theirs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record, notification_send

from ..assessment.services import components_validate
from ..models import Competency, Course, Program
from ..permissions import course_can_edit
from ..services import program_course_set
from .models import CourseVersion, Reform, ReformComment, ReformReviewer, ReformVote
from .selectors import course_current_content

S = Reform.Status


def _reform_url(reform: Reform) -> str:
    from django.urls import reverse

    return reverse("teachers:reform_detail", args=[reform.pk])


def content_validate(*, course: Course, data: dict) -> dict:
    """Clean a proposal's sections: objectives, modules, components (sum 100), weights, credits."""
    objectives = str(data.get("objectives", "")).strip()
    if "\x00" in objectives or len(objectives) > 10000:
        raise ApplicationError(_("The objectives are too long or contain a NUL character."), code="objectives")
    modules = []
    for i, m in enumerate(data.get("modules") or [], start=1):
        title = str(m.get("title", "")).strip()
        if not title:
            continue
        try:
            hours = int(m.get("hours") or 0)
        except (TypeError, ValueError):
            raise ApplicationError(_("Module %(n)d: hours must be a whole number.") % {"n": i}, code="modules") from None
        if hours < 0 or hours > 500 or len(title) > 200 or "\x00" in title:
            raise ApplicationError(_("Module %(n)d: hours 0–500 and a title of at most 200 characters.") % {"n": i},
                                   code="modules")
        modules.append({"title": title, "hours": hours, "content": str(m.get("content", "")).strip()[:2000]})
    components = [{**c, "weight": str(c["weight"])} for c in components_validate(list(data.get("components") or []))]
    try:
        credits = Decimal(str(data.get("credits", "")).strip())
    except InvalidOperation:
        raise ApplicationError(_("Credits must be a number."), code="credits") from None
    if not credits.is_finite() or credits <= 0 or credits > 99 or credits != credits.quantize(Decimal("0.1")):
        raise ApplicationError(_("Credits must be positive (at most 99, one decimal)."), code="credits")
    if course.major_id is None:
        raise ApplicationError(_("Give the course a major before reforming it."), code="no_major")
    codes = set(Competency.objects.filter(major_id=course.major_id).values_list("code", flat=True))
    weights = {}
    for code, raw in (data.get("weights") or {}).items():
        if code not in codes:
            raise ApplicationError(_("%(code)s is not a competency of the course's major.") % {"code": code},
                                   code="foreign_competency")
        try:
            w = Decimal(str(raw).strip() or "0")
        except InvalidOperation:
            raise ApplicationError(_("The weight of %(code)s is not a number.") % {"code": code}, code="weight") from None
        if not w.is_finite() or w < 0 or w > 10:
            raise ApplicationError(_("Weights are between 0 and 10."), code="weight")
        if w > 0:
            weights[code] = str(w.quantize(Decimal("0.01")).normalize())
    if not weights:
        raise ApplicationError(_("Every course must build at least one competency (a positive weight)."),
                               code="no_competency")
    return {"objectives": objectives, "modules": modules, "components": components, "weights": weights,
            "credits": credits}


@transaction.atomic
def reform_create(*, actor: User, course: Course, title: str, rationale: str = "", focus_competency: str = "",
                  content: dict | None = None) -> Reform:
    """Propose a new version of one's own course (a draft). Without content it starts from the current one."""
    if not course_can_edit(user=actor, course=course):
        raise NotPermitted(_("You can propose a reform only for a course you own."))
    title = (title or "").strip()
    if not title or len(title) > 200 or "\x00" in title:
        raise ApplicationError(_("Give the reform a title (at most 200 characters)."), code="title")
    current = course_current_content(course=course)
    base = current.pop("version")
    cleaned = content_validate(course=course, data=content if content is not None else current)
    reform = Reform.objects.create(course=course, proposer=actor, title=title, rationale=(rationale or "")[:5000],
                                   focus_competency=(focus_competency or "")[:40], base_version=base, **cleaned)
    audit_log_record(actor=actor, action="reform.create", target=reform)
    return reform


def _locked(reform: Reform) -> Reform:
    return Reform.objects.select_for_update().select_related("course").get(pk=reform.pk)


@transaction.atomic
def reform_update(*, actor: User, reform: Reform, title: str, rationale: str, content: dict) -> Reform:
    reform = _locked(reform)
    if reform.proposer_id != actor.pk and actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only the proposer edits a reform."))
    if reform.status != S.DRAFT:
        raise ApplicationError(_("Only a draft can be edited; revise the reform first."), code="not_draft")
    cleaned = content_validate(course=reform.course, data=content)
    title = (title or "").strip()
    if not title or len(title) > 200 or "\x00" in title:
        raise ApplicationError(_("Give the reform a title (at most 200 characters)."), code="title")
    reform.title, reform.rationale = title, (rationale or "")[:5000]
    for key, value in cleaned.items():
        setattr(reform, key, value)
    reform.save()
    audit_log_record(actor=actor, action="reform.update", target=reform)
    return reform


@transaction.atomic
def reform_invite(*, actor: User, reform: Reform, reviewers: list[User]) -> int:
    """Invite industry masters and enterprise mentors to review (draft or in review)."""
    reform = _locked(reform)
    if reform.proposer_id != actor.pk and actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only the proposer or a school administrator invites reviewers."))
    if reform.status not in (S.DRAFT, S.REVIEW):
        raise ApplicationError(_("This reform is decided; no more reviewers."), code="decided")
    if not reviewers:
        raise ApplicationError(_("Choose at least one reviewer."), code="no_reviewers")
    if any(u.role not in (Role.INDUSTRY, Role.ENTERPRISE) for u in reviewers):
        raise ApplicationError(_("Reviewers are industry masters and enterprise mentors."), code="reviewer_role")
    existing = set(ReformReviewer.objects.filter(reform=reform).values_list("reviewer_id", flat=True))
    new = [u for u in reviewers if u.pk not in existing]
    ReformReviewer.objects.bulk_create([ReformReviewer(reform=reform, reviewer=u, invited_by=actor) for u in new])
    audit_log_record(actor=actor, action="reform.invite", target=reform, data={"reviewers": [u.pk for u in new]})
    if new and reform.status == S.REVIEW:
        notification_send(recipients=new, title=gettext_noop("Please review the course reform “%(title)s”"),
                          params={"title": reform.title}, url=_reform_url(reform))
    return len(new)


@transaction.atomic
def reform_submit(*, actor: User, reform: Reform) -> Reform:
    reform = _locked(reform)
    if reform.proposer_id != actor.pk:
        raise NotPermitted(_("Only the proposer submits a reform."))
    if reform.status != S.DRAFT:
        raise ApplicationError(_("Only a draft can be submitted for review."), code="not_draft")
    reviewer_ids = list(ReformReviewer.objects.filter(reform=reform).values_list("reviewer_id", flat=True))
    if not reviewer_ids:
        raise ApplicationError(_("Invite at least one reviewer before submitting."), code="no_reviewers")
    reform.status, reform.submitted_at = S.REVIEW, timezone.now()
    reform.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log_record(actor=actor, action="reform.submit", target=reform)
    admins = list(User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True).values_list("pk", flat=True))
    notification_send(recipients=reviewer_ids + admins, title=gettext_noop("Please review the course reform “%(title)s”"),
                      params={"title": reform.title}, url=_reform_url(reform))
    return reform


@transaction.atomic
def reform_revise(*, actor: User, reform: Reform) -> Reform:
    """Back to draft to answer the reviewers; their votes are cleared (comments stay)."""
    reform = _locked(reform)
    if reform.proposer_id != actor.pk:
        raise NotPermitted(_("Only the proposer revises a reform."))
    if reform.status != S.REVIEW:
        raise ApplicationError(_("Only a reform in review can be revised."), code="not_in_review")
    ReformVote.objects.filter(reform=reform).delete()
    reform.status = S.DRAFT
    reform.save(update_fields=["status", "updated_at"])
    audit_log_record(actor=actor, action="reform.revise", target=reform)
    return reform


@transaction.atomic
def reform_comment(*, actor: User, reform: Reform, section: str, body: str) -> ReformComment:
    reform = _locked(reform)
    is_reviewer = ReformReviewer.objects.filter(reform=reform, reviewer=actor).exists()
    if not (is_reviewer or reform.proposer_id == actor.pk or actor.role == Role.SCHOOL_ADMIN
            or course_can_edit(user=actor, course=reform.course)):
        raise NotPermitted(_("Only invited reviewers, the proposer and administrators comment."))
    if section not in ReformComment.Section.values:
        raise ApplicationError(_("Unknown section."), code="section")
    body = (body or "").strip()
    if not body or len(body) > 5000 or "\x00" in body:
        raise ApplicationError(_("Write a comment (at most 5000 characters)."), code="body")
    if reform.status in (S.APPROVED, S.REJECTED):
        raise ApplicationError(_("This reform is decided; comments are closed."), code="decided")
    comment = ReformComment.objects.create(reform=reform, author=actor, section=section, body=body)
    audit_log_record(actor=actor, action="reform.comment", target=reform, data={"section": section})
    if actor.pk != reform.proposer_id:
        notification_send(recipients=[reform.proposer_id], title=gettext_noop("New comment on “%(title)s”"),
                          params={"title": reform.title}, url=_reform_url(reform))
    return comment


@transaction.atomic
def reform_vote(*, actor: User, reform: Reform, decision: str, note: str = "") -> ReformVote:
    reform = _locked(reform)
    if not ReformReviewer.objects.filter(reform=reform, reviewer=actor).exists():
        raise NotPermitted(_("Only invited reviewers vote on a reform."))
    if reform.status != S.REVIEW:
        raise ApplicationError(_("Votes are taken only while the reform is in review."), code="not_in_review")
    if decision not in ReformVote.Decision.values:
        raise ApplicationError(_("Vote approve or request changes."), code="decision")
    if decision == ReformVote.Decision.CHANGES and not (note or "").strip():
        raise ApplicationError(_("Say which changes you request."), code="note_required")
    vote, _created = ReformVote.objects.update_or_create(reform=reform, reviewer=actor,
                                                         defaults={"decision": decision, "note": (note or "")[:500]})
    audit_log_record(actor=actor, action="reform.vote", target=reform, data={"decision": decision})
    notification_send(recipients=[reform.proposer_id], title=gettext_noop("A reviewer voted on “%(title)s”"),
                      params={"title": reform.title}, url=_reform_url(reform))
    return vote


@transaction.atomic
def reform_reject(*, actor: User, reform: Reform, note: str) -> Reform:
    reform = _locked(reform)
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators decide on reforms."))
    if reform.status != S.REVIEW:
        raise ApplicationError(_("Only a reform in review can be rejected."), code="not_in_review")
    if not (note or "").strip():
        raise ApplicationError(_("Give the reason for the rejection."), code="note_required")
    reform.status, reform.decided_by, reform.decided_at = S.REJECTED, actor, timezone.now()
    reform.decision_note = note.strip()[:500]
    reform.save()
    audit_log_record(actor=actor, action="reform.reject", target=reform)
    notification_send(recipients=[reform.proposer_id], title=gettext_noop("Course reform “%(title)s” was rejected"),
                      params={"title": reform.title}, url=_reform_url(reform))
    return reform


def affected_programs(*, course: Course, from_intake_year: int):
    return (Program.objects.filter(major_id=course.major_id, intake_year__gte=from_intake_year,
                                   program_courses__course=course).order_by("intake_year"))


@transaction.atomic
def reform_approve(*, actor: User, reform: Reform, from_intake_year: int, note: str = "") -> CourseVersion:
    """Approve, create the next version and apply it from `from_intake_year` on."""
    reform = _locked(reform)
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators approve reforms."))
    if reform.status != S.REVIEW:
        raise ApplicationError(_("Only a reform in review can be approved."), code="not_in_review")
    decisions = list(ReformVote.objects.filter(reform=reform).values_list("decision", flat=True))
    if not decisions:
        raise ApplicationError(_("No reviewer has voted yet."), code="no_votes")
    if ReformVote.Decision.CHANGES in decisions:
        raise ApplicationError(_("A reviewer requested changes: the proposer must revise first."),
                               code="changes_requested")
    try:
        from_intake_year = int(from_intake_year)
    except (TypeError, ValueError):
        raise ApplicationError(_("Choose the intake year the version applies from."), code="intake_year") from None
    if not 2000 <= from_intake_year <= 2100:
        raise ApplicationError(_("Choose the intake year the version applies from."), code="intake_year")
    course = reform.course
    number = (CourseVersion.objects.filter(course=course).order_by("-number").values_list("number", flat=True)
              .first() or 0) + 1
    version = CourseVersion.objects.create(
        course=course, number=number, applies_from_intake=from_intake_year, reform=reform, approved_by=actor,
        objectives=reform.objectives, modules=reform.modules, components=reform.components,
        weights=reform.weights, credits=reform.credits)
    competencies = dict(Competency.objects.filter(major_id=course.major_id).values_list("code", "pk"))
    weights = {competencies[code]: Decimal(w) for code, w in reform.weights.items() if code in competencies}
    applied = []
    for program in affected_programs(course=course, from_intake_year=from_intake_year):
        pc = program.program_courses.get(course=course)
        program_course_set(actor=actor, program=program, course=course, credits=reform.credits,
                           semester=pc.semester, weights=weights)
        applied.append(program.intake_year)
    reform.status, reform.decided_by, reform.decided_at = S.APPROVED, actor, timezone.now()
    reform.from_intake_year, reform.decision_note = from_intake_year, (note or "")[:500]
    reform.save()
    audit_log_record(actor=actor, action="reform.approve", target=reform,
                     data={"version": number, "from_intake_year": from_intake_year, "programs": applied})
    reviewers = list(ReformReviewer.objects.filter(reform=reform).values_list("reviewer_id", flat=True))
    notification_send(recipients=[reform.proposer_id, *reviewers],
                      title=gettext_noop("Course reform “%(title)s” approved: version %(number)s applies from the %(year)s intake"),
                      params={"title": reform.title, "number": number, "year": from_intake_year},
                      url=_reform_url(reform))
    return version
