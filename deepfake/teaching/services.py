"""Writes for lab work: a teacher attaches a guide to an offering (choosing the grade component
the reports count towards), a student submits a PDF report, the teacher grades it.

Grading goes into the gradebook through ``teachers.assessment.services.component_scores_save``:
the student's score in the component is the mean of their graded reports among the offering's
lab assignments that feed that component. The offering's final grade (and with it the competency
radar, through the course's competency weights — the AI competency for a big-data machine-learning
or deep-learning course) follows once every component of the offering has a score."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.services import audit_log_record, notification_send

from .guides import guide_get
from .models import LabAssignment, LabReport
from .permissions import can_attach, can_manage_assignment, can_submit
from .validation import check_report


@transaction.atomic
def assignment_attach(*, actor, guide: str, component, instructions: str = "", due_at=None) -> LabAssignment:
    """Attach guide ``guide`` to the offering of ``component``; its reports are graded into it."""
    if not can_attach(actor) or component.offering.teacher_id != actor.pk:
        raise NotPermitted(_("Only the teacher of the course offering can attach lab work to it."))
    found = guide_get(guide)
    if found is None:
        raise ApplicationError(_("No such guide."), code="unknown_guide")
    instructions = (instructions or "").strip()
    if "\x00" in instructions or len(instructions) > 4000:
        raise ApplicationError(_("Instructions: at most 4,000 characters."), code="invalid_instructions")
    if due_at is not None and due_at <= timezone.now():
        raise ApplicationError(_("The due date must be in the future."), code="due_in_past")
    try:
        with transaction.atomic():
            assignment = LabAssignment.objects.create(guide=found.slug, offering=component.offering,
                                                      component=component, instructions=instructions,
                                                      due_at=due_at, created_by=actor)
    except IntegrityError:
        raise ApplicationError(_("This guide is already attached to this course offering."),
                               code="already_attached", status_code=409) from None
    audit_log_record(actor=actor, action="deepfake.lab_assignment_attach", target=assignment,
                     data={"guide": found.slug, "offering": component.offering_id, "component": component.pk})
    from teachers.models import Enrolment

    students = list(Enrolment.objects.filter(offering=component.offering).values_list("student_id", flat=True))
    notification_send(recipients=students, title=gettext_noop("New lab work: experiment %(number)s"),
                      params={"number": found.number},
                      url=reverse("deepfake:lab_assignment", kwargs={"assignment_id": assignment.pk}))
    return assignment


def report_submit(*, actor, assignment: LabAssignment, uploaded_file, now=None) -> LabReport:
    """Submit or replace the student's PDF report. Refused after the due date and once graded.
    The file is checked before anything is written; a failure after the file was saved deletes it."""
    now = now or timezone.now()
    if not can_submit(actor, assignment):
        raise NotPermitted(_("Only the students of this course offering submit reports for it."))
    if assignment.due_at is not None and now > assignment.due_at:
        raise ApplicationError(_("The due date has passed; ask your teacher."), code="past_due", status_code=409)
    checked = check_report(uploaded_file)
    stored = None
    try:
        with transaction.atomic():
            report = (LabReport.objects.select_for_update().filter(assignment=assignment, student=actor).first())
            if report is not None and report.status == LabReport.Status.GRADED:
                raise ApplicationError(_("Your report has been graded and can no longer be replaced."),
                                       code="already_graded", status_code=409)
            old_name = report.file.name if report is not None else None
            report = report or LabReport(assignment=assignment, student=actor)
            report.file.save("report.pdf", ContentFile(checked.data), save=False)
            stored = report.file.name
            report.original_name = checked.original_name
            report.size_bytes = len(checked.data)
            report.pages = checked.pages
            report.sha256 = checked.sha256
            report.submitted_at = now
            report.save()
            audit_log_record(actor=actor, action="deepfake.lab_report_submit", target=report,
                             data={"assignment": assignment.pk, "pages": checked.pages, "bytes": len(checked.data)})
            if old_name:
                storage = report.file.storage
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        if stored:
            LabReport.file.field.storage.delete(stored)
        raise
    return report


def _component_mean(*, student_id: int, assignment: LabAssignment) -> Decimal | None:
    scores = list(LabReport.objects.filter(
        student_id=student_id, status=LabReport.Status.GRADED, assignment__offering_id=assignment.offering_id,
        assignment__component_id=assignment.component_id).values_list("score", flat=True))
    if not scores:
        return None
    return (sum(scores, Decimal("0")) / len(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def report_grade(*, actor, report: LabReport, score, feedback: str = "", reason: str = "") -> LabReport:
    """Grade a report 0–100 and write the student's score in the assignment's grade component.
    Changing a grade already given needs a reason (kept in the gradebook's audit trail)."""
    from teachers.assessment.services import component_scores_save
    from teachers.models import Enrolment
    from teachers.services import score_parse

    report = LabReport.objects.select_for_update().select_related(
        "assignment__offering", "assignment__component").get(pk=report.pk)
    assignment = report.assignment
    if not can_manage_assignment(actor, assignment):
        raise NotPermitted(_("Only the teacher of the course offering grades its lab reports."))
    value = score_parse(score)
    if value is None:
        raise ApplicationError(_("Give a score from 0 to 100."), code="score_missing")
    feedback = (feedback or "").strip()
    if "\x00" in feedback or len(feedback) > 4000:
        raise ApplicationError(_("Feedback: at most 4,000 characters."), code="invalid_feedback")
    regrade = report.status == LabReport.Status.GRADED and report.score != value
    if regrade and not reason.strip():
        raise ApplicationError(_("Give a reason when you change a grade already given."), code="reason_required")
    enrolment = Enrolment.objects.filter(offering=assignment.offering, student_id=report.student_id).first()
    if enrolment is None:
        raise ApplicationError(_("The student is no longer enrolled in this course offering."), code="not_enrolled",
                               status_code=409)
    report.score, report.feedback = value, feedback
    report.status, report.graded_by, report.graded_at = LabReport.Status.GRADED, actor, timezone.now()
    report.save(update_fields=["score", "feedback", "status", "graded_by", "graded_at"])
    guide = guide_get(assignment.guide)
    number = guide.number if guide else 0
    mean = _component_mean(student_id=report.student_id, assignment=assignment)
    component_scores_save(
        actor=actor, offering=assignment.offering, scores={(enrolment.pk, assignment.component_id): str(mean)},
        reason=(reason.strip() or _("Lab report, experiment %(number)s") % {"number": number})[:200])
    audit_log_record(actor=actor, action="deepfake.lab_report_grade", target=report,
                     data={"score": str(value), "component_score": str(mean), "regrade": regrade})
    notification_send(recipients=[report.student_id],
                      title=gettext_noop("Your lab report for experiment %(number)s was graded: %(score)s"),
                      params={"number": number, "score": str(value)},
                      url=reverse("deepfake:lab_assignment", kwargs={"assignment_id": assignment.pk}))
    return report
