"""Writes for quality co-supervision. The rectification task's state machine:

    open ──evidence (owner)──▶ submitted ──close (supervisor)──▶ closed
      ▲                           │                                 │
      └──────reopen (supervisor)──┴─────────────────────────────────┘

Anything else is refused with the reason (evidence on a submitted or closed task,
closing an open one, …). Overdue open tasks escalate to school administrators once
(`tasks_overdue_escalate`, run by beat)."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record, notification_send
from accounts.text_input import text_clean

from ..models import CourseOffering, Enrolment, Term
from ..resources.checks import MB, uploaded_file_check
from .models import (
    OBSERVATION_CRITERIA,
    SCORE_MAX,
    SCORE_MIN,
    CourseFeedback,
    EvidenceFile,
    Finding,
    Observation,
    RectificationTask,
    SupervisionPlan,
    TaskEvent,
)

T = RectificationTask.Status
PARTY_BY_ROLE = {Role.TEACHER: Observation.Party.SCHOOL, Role.SCHOOL_ADMIN: Observation.Party.SCHOOL,
                 Role.ENTERPRISE: Observation.Party.ENTERPRISE, Role.INDUSTRY: Observation.Party.INDUSTRY}


def is_supervisor(*, user: User, plan: SupervisionPlan) -> bool:
    return user.role == Role.SCHOOL_ADMIN or plan.supervisors.filter(pk=user.pk).exists()


def _require_supervisor(user: User, plan: SupervisionPlan) -> None:
    if not is_supervisor(user=user, plan=plan):
        raise NotPermitted(_("Only the plan's supervisors and school administrators do this."))


@transaction.atomic
def plan_create(*, actor: User, term: Term, title: str, description: str = "",
                supervisors: list[User] | None = None) -> SupervisionPlan:
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators plan supervision."))
    supervisors = list(supervisors or [])
    if any(u.role not in PARTY_BY_ROLE for u in supervisors):
        raise ApplicationError(_("Supervisors are teachers, administrators, enterprise or industry experts."),
                               code="supervisor_role")
    plan = SupervisionPlan.objects.create(term=term, title=text_clean(title, label=_("Title"), max_length=200),
                                          description=text_clean(description, label=_("Description"), required=False),
                                          created_by=actor)
    plan.supervisors.set(supervisors)
    audit_log_record(actor=actor, action="supervision.plan_create", target=plan,
                     data={"supervisors": [u.pk for u in supervisors]})
    if supervisors:
        notification_send(recipients=supervisors, title=gettext_noop("You supervise teaching quality: %(plan)s"),
                          params={"plan": plan.title}, url=reverse("teachers:supervision_plan", args=[plan.pk]))
    return plan


def observation_total(scores: dict) -> Decimal:
    """Mean of the 1–5 criteria, on 0–100 (1 → 0, 5 → 100)."""
    values = [Decimal(scores[code]) for code, _label in OBSERVATION_CRITERIA]
    mean = sum(values) / len(values)
    return ((mean - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * 100).quantize(Decimal("0.01"))


@transaction.atomic
def observation_file(*, actor: User, plan: SupervisionPlan, offering: CourseOffering, observed_on: datetime.date,
                     scores: dict, comments: str = "") -> Observation:
    _require_supervisor(actor, plan)
    if offering.term_id != plan.term_id:
        raise ApplicationError(_("The offering is not taught in the plan's term."), code="other_term")
    cleaned, errors = {}, []
    for code, label in OBSERVATION_CRITERIA:
        try:
            value = int(str(scores.get(code, "")).strip())
        except ValueError:
            value = None
        if value is None or not SCORE_MIN <= value <= SCORE_MAX:
            errors.append(str(label))
        else:
            cleaned[code] = value
    if errors:
        raise ApplicationError(_("Score every criterion from 1 to 5: %(criteria)s.") % {"criteria": "; ".join(errors)},
                               code="scores")
    observation = Observation.objects.create(
        plan=plan, offering=offering, supervisor=actor, party=PARTY_BY_ROLE[actor.role], observed_on=observed_on,
        scores=cleaned, total=observation_total(cleaned),
        comments=text_clean(comments, label=_("Comments"), required=False))
    audit_log_record(actor=actor, action="supervision.observe", target=observation, data={"total": str(observation.total)})
    return observation


@transaction.atomic
def finding_file(*, actor: User, plan: SupervisionPlan, offering: CourseOffering, description: str, action: str,
                 deadline: datetime.date, severity: str = Finding.Severity.MINOR, source: str = Finding.Source.OBSERVATION,
                 observation: Observation | None = None, owner: User | None = None) -> RectificationTask:
    """A finding and its rectification task (owner: the offering's teacher unless given)."""
    _require_supervisor(actor, plan)
    if offering.term_id != plan.term_id:
        raise ApplicationError(_("The offering is not taught in the plan's term."), code="other_term")
    if severity not in Finding.Severity.values or source not in Finding.Source.values:
        raise ApplicationError(_("Unknown severity or source."), code="choice")
    if observation is not None and (observation.plan_id != plan.pk or observation.offering_id != offering.pk):
        raise ApplicationError(_("The observation belongs to another plan or offering."), code="observation")
    owner = owner or offering.teacher
    if owner is None or owner.role != Role.TEACHER:
        raise ApplicationError(_("The task needs a teacher as its owner."), code="owner")
    if deadline < timezone.localdate():
        raise ApplicationError(_("The deadline cannot be in the past."), code="deadline")
    finding = Finding.objects.create(plan=plan, offering=offering, observation=observation, source=source,
                                     severity=severity, filed_by=actor,
                                     description=text_clean(description, label=_("Finding")))
    task = RectificationTask.objects.create(finding=finding, owner=owner, deadline=deadline,
                                            action=text_clean(action, label=_("Required action")))
    audit_log_record(actor=actor, action="supervision.finding", target=task, data={"severity": severity})
    notification_send(recipients=[owner], title=gettext_noop("Rectification task for %(course)s, due %(deadline)s"),
                      params={"course": offering.course.code, "deadline": deadline.isoformat()},
                      url=reverse("teachers:supervision_task", args=[task.pk]))
    return task


def _locked(task: RectificationTask) -> RectificationTask:
    return RectificationTask.objects.select_for_update().select_related("finding__plan", "finding__offering__course").get(
        pk=task.pk)


# Evidence files: documents, slides, spreadsheets, photos and PDFs, up to 20 MB each, 5 per submission.
EVIDENCE_FORMATS = {"pdf", "png", "jpeg", "docx", "pptx", "xlsx", "zip", "csv", "txt"}
EVIDENCE_MAX_BYTES = 20 * MB
EVIDENCE_MAX_FILES = 5


def _evidence_files_check(files) -> list:
    files = [f for f in (files or []) if f is not None]
    if len(files) > EVIDENCE_MAX_FILES:
        raise ApplicationError(_("Attach at most %(n)d files.") % {"n": EVIDENCE_MAX_FILES}, code="too_many_files")
    return [(f, uploaded_file_check(f, formats=EVIDENCE_FORMATS, limit=EVIDENCE_MAX_BYTES,
                                    refused_as=str(_("evidence")))) for f in files]


@transaction.atomic
def evidence_submit(*, actor: User, task: RectificationTask, note: str, files=None) -> RectificationTask:
    """The owner's evidence: a note and optionally files. The task's state is checked
    before any byte is read, and every file before any is stored, so a refusal (closed
    task, a file that is not what it claims, too large) keeps nothing."""
    task = _locked(task)
    if task.owner_id != actor.pk:
        raise NotPermitted(_("Only the task's owner submits evidence."))
    if task.status == T.CLOSED:
        raise ApplicationError(_("This task is closed: no more evidence."), code="task_closed")
    if task.status == T.SUBMITTED:
        raise ApplicationError(_("Evidence is already submitted and waits for verification."), code="task_submitted")
    note = text_clean(note, label=_("Evidence"))
    checked = _evidence_files_check(files)
    task.status = T.SUBMITTED
    task.save(update_fields=["status"])
    event = TaskEvent.objects.create(task=task, kind=TaskEvent.Kind.EVIDENCE, actor=actor, note=note)
    stored: list[EvidenceFile] = []
    try:
        for upload, check in checked:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            evidence = EvidenceFile(task=task, event=event, original_name=upload.name[:200],
                                    content_type=check.content_type, size=upload.size, sha256=digest.hexdigest(),
                                    uploaded_by=actor)
            evidence.file.save(f"{digest.hexdigest()[:16]}.{'jpg' if check.format == 'jpeg' else check.format}",
                               upload, save=False)
            stored.append(evidence)
            evidence.save()
    except Exception:
        for evidence in stored:  # the rows roll back; the bytes written so far must go too
            evidence.file.delete(save=False)
        raise
    audit_log_record(actor=actor, action="supervision.evidence", target=task, data={"files": len(stored)})
    notification_send(recipients=[task.finding.filed_by_id], title=gettext_noop("Evidence submitted for %(course)s"),
                      params={"course": task.finding.offering.course.code},
                      url=reverse("teachers:supervision_task", args=[task.pk]))
    return task


@transaction.atomic
def task_close(*, actor: User, task: RectificationTask, note: str = "") -> RectificationTask:
    task = _locked(task)
    _require_supervisor(actor, task.finding.plan)
    if task.status != T.SUBMITTED:
        raise ApplicationError(_("Only a task with submitted evidence can be verified and closed."),
                               code="not_submitted")
    task.status, task.closed_at = T.CLOSED, timezone.now()
    task.save(update_fields=["status", "closed_at"])
    TaskEvent.objects.create(task=task, kind=TaskEvent.Kind.CLOSED, actor=actor,
                             note=text_clean(note, label=_("Note"), required=False))
    audit_log_record(actor=actor, action="supervision.close", target=task)
    notification_send(recipients=[task.owner_id], title=gettext_noop("Rectification verified and closed: %(course)s"),
                      params={"course": task.finding.offering.course.code},
                      url=reverse("teachers:supervision_task", args=[task.pk]))
    return task


@transaction.atomic
def task_reopen(*, actor: User, task: RectificationTask, note: str, deadline: datetime.date | None = None
                ) -> RectificationTask:
    task = _locked(task)
    _require_supervisor(actor, task.finding.plan)
    if task.status == T.OPEN:
        raise ApplicationError(_("This task is already open."), code="already_open")
    note = text_clean(note, label=_("Reason"))
    if deadline is not None:
        if deadline < timezone.localdate():
            raise ApplicationError(_("The deadline cannot be in the past."), code="deadline")
        task.deadline = deadline
    task.status, task.closed_at, task.escalated_at = T.OPEN, None, None
    task.reopen_count += 1
    task.save(update_fields=["status", "closed_at", "escalated_at", "reopen_count", "deadline"])
    TaskEvent.objects.create(task=task, kind=TaskEvent.Kind.REOPENED, actor=actor, note=note)
    audit_log_record(actor=actor, action="supervision.reopen", target=task)
    notification_send(recipients=[task.owner_id], title=gettext_noop("Rectification reopened: %(course)s"),
                      params={"course": task.finding.offering.course.code},
                      url=reverse("teachers:supervision_task", args=[task.pk]))
    return task


@transaction.atomic
def tasks_overdue_escalate(*, today: datetime.date | None = None) -> int:
    """Open tasks past their deadline, not yet escalated: tell every school administrator once."""
    today = today or timezone.localdate()
    tasks = list(RectificationTask.objects.select_for_update(skip_locked=True)
                 .filter(status=T.OPEN, deadline__lt=today, escalated_at__isnull=True)
                 .select_related("finding__offering__course"))
    if not tasks:
        return 0
    now = timezone.now()
    admins = list(User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True).values_list("pk", flat=True))
    for task in tasks:
        task.escalated_at = now
        notification_send(recipients=admins + [task.owner_id],
                          title=gettext_noop("Overdue rectification: %(course)s, due %(deadline)s"),
                          params={"course": task.finding.offering.course.code, "deadline": task.deadline.isoformat()},
                          url=reverse("teachers:supervision_task", args=[task.pk]))
    RectificationTask.objects.bulk_update(tasks, ["escalated_at"])
    TaskEvent.objects.bulk_create([TaskEvent(task=t, kind=TaskEvent.Kind.ESCALATED) for t in tasks])
    audit_log_record(actor=None, action="supervision.escalate", data={"tasks": [t.pk for t in tasks]})
    return len(tasks)


@transaction.atomic
def feedback_submit(*, actor: User, offering: CourseOffering, rating, comment: str = "") -> CourseFeedback:
    """A student's end-of-course feedback, once per offering they are enrolled in."""
    if not Enrolment.objects.filter(offering=offering, student=actor).exists():
        raise NotPermitted(_("You can rate only the courses you take."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ApplicationError(_("Rate the course from 1 to 5."), code="rating")
    if CourseFeedback.objects.filter(offering=offering, student=actor).exists():
        raise ApplicationError(_("You have already given feedback on this course."), code="duplicate_feedback")
    feedback = CourseFeedback.objects.create(offering=offering, student=actor, rating=rating,
                                             comment=text_clean(comment, label=_("Comment"), required=False, max_length=2000))
    audit_log_record(actor=actor, action="supervision.feedback", target=feedback)
    return feedback
