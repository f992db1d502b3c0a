"""Writes for applications: apply, withdraw, the enterprise's pipeline (shortlist,
interview, offer, reject — one by one or in bulk), private notes, and the student's
answer to an offer. Every step notifies the other side in its own language."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Membership, Role, User
from accounts.services import audit_log_record, notification_send
from students.models import StudentProfile

from .hooks import offer_accepted
from .models import Application, ApplicationEvent, ApplicationNote, Posting
from .selectors import organization_for_user

Stage = Application.Stage

# What the enterprise may move an application to, from each stage.
ENTERPRISE_MOVES: dict[str, tuple[str, ...]] = {
    Stage.APPLIED: (Stage.SHORTLISTED, Stage.INTERVIEW, Stage.REJECTED),
    Stage.SHORTLISTED: (Stage.INTERVIEW, Stage.OFFER, Stage.REJECTED),
    Stage.INTERVIEW: (Stage.INTERVIEW, Stage.OFFER, Stage.REJECTED),
    Stage.OFFER: (Stage.REJECTED,),
}

STUDENT_TITLES = {
    Stage.SHORTLISTED: gettext_noop("You are shortlisted for %(title)s"),
    Stage.INTERVIEW: gettext_noop("Interview for %(title)s: %(when)s, %(place)s"),
    Stage.OFFER: gettext_noop("You have an offer for %(title)s"),
    Stage.REJECTED: gettext_noop("Your application for %(title)s was not successful"),
}


def _member_ids(organization_id: int) -> list[int]:
    return list(Membership.objects.filter(organization_id=organization_id).values_list("user_id", flat=True))


def _event(application: Application, actor: User | None) -> None:
    ApplicationEvent.objects.create(application=application, stage=application.stage, actor=actor)


@transaction.atomic
def application_create(*, actor: User, posting: Posting, cover_note: str = "") -> Application:
    """Apply with a cover note; the resume is frozen into the application. Applying to a
    posting that is not open is a 400 with the reason, applying twice a 409."""
    from .career import resume_snapshot
    from .matching import matches_for_student

    if actor.role != Role.STUDENT:
        raise NotPermitted(_("Only students apply."))
    student = StudentProfile.objects.select_related("major", "user").filter(user=actor).first()
    if student is None:
        raise ApplicationError(_("Your account is not linked to a student record."), code="no_student")
    if "\x00" in cover_note:
        raise ApplicationError(_("The text contains a NUL character."), code="invalid", extra={"cover_note": ["NUL"]})
    if len(cover_note) > 3000:
        raise ApplicationError(_("The cover note is longer than 3,000 characters."), code="invalid",
                               extra={"cover_note": [_("At most 3,000 characters.")]})
    posting = Posting.objects.select_for_update().select_related("organization").get(pk=posting.pk)
    if posting.status != Posting.Status.PUBLISHED:
        raise ApplicationError(_("This posting is not open for applications (%(status)s).")
                               % {"status": posting.get_status_display()}, code="posting_not_open")
    if posting.deadline < timezone.localdate():
        raise ApplicationError(_("The deadline of this posting has passed."), code="posting_not_open")
    if not posting.majors.filter(pk=student.major_id).exists():
        raise ApplicationError(_("This posting is not open to your major."), code="wrong_major")
    if Application.objects.filter(posting=posting, student=student).exists():
        raise ApplicationError(_("You have already applied to this posting."), code="already_applied", status_code=409)
    fit = matches_for_student(student, [posting])[posting.pk].fit
    try:
        with transaction.atomic():
            application = Application.objects.create(posting=posting, student=student, cover_note=cover_note.strip(),
                                                     snapshot=resume_snapshot(student=student), fit=fit)
    except IntegrityError:
        raise ApplicationError(_("You have already applied to this posting."), code="already_applied",
                               status_code=409) from None
    _event(application, actor)
    audit_log_record(actor=actor, action="application.create", target=application, data={"posting": posting.pk})
    notification_send(recipients=_member_ids(posting.organization_id),
                      title=gettext_noop("New applicant for %(title)s: %(name)s"),
                      params={"title": posting.title, "name": actor.name_for_display},
                      url=f"/enterprises/applications/{application.pk}/review/")
    notification_send(recipients=[actor], title=gettext_noop("Application sent: %(title)s"),
                      params={"title": posting.title}, url="/enterprises/applications/")
    return application


def _locked(application: Application) -> Application:
    return (Application.objects.select_for_update().select_related("posting", "posting__organization",
                                                                    "student", "student__user")
            .get(pk=application.pk))


@transaction.atomic
def application_withdraw(*, actor: User, application: Application) -> Application:
    application = _locked(application)
    if application.student.user_id != actor.pk:
        raise NotPermitted(_("Only the applicant withdraws an application."))
    if not application.is_active:
        raise ApplicationError(_("This application is already settled."), code="invalid_state")
    application.stage = Stage.WITHDRAWN
    application.save(update_fields=["stage", "updated_at"])
    _event(application, actor)
    audit_log_record(actor=actor, action="application.withdraw", target=application)
    notification_send(recipients=_member_ids(application.posting.organization_id),
                      title=gettext_noop("%(name)s withdrew from %(title)s"),
                      params={"name": actor.name_for_display, "title": application.posting.title},
                      url=f"/enterprises/postings/{application.posting_id}/")
    return application


def _require_owner(actor: User, application: Application) -> None:
    organization = organization_for_user(user=actor)
    if actor.role != Role.ENTERPRISE or organization is None or organization.pk != application.posting.organization_id:
        raise NotPermitted(_("Only the posting's enterprise moves its applicants."))


@transaction.atomic
def application_move(*, actor: User, application: Application, stage: str, reason: str = "",
                     interview_at: datetime.datetime | None = None, interview_place: str = "") -> Application:
    """The enterprise moves an applicant along the pipeline; a rejection needs a reason
    the student sees, an interview a time and a place or link."""
    application = _locked(application)
    _require_owner(actor, application)
    allowed = ENTERPRISE_MOVES.get(application.stage, ())
    if stage not in allowed:
        raise ApplicationError(
            _("An application at “%(from)s” cannot move to “%(to)s”.")
            % {"from": application.get_stage_display(), "to": Stage(stage).label if stage in Stage.values else stage},
            code="invalid_transition")
    params = {"title": application.posting.title, "org": application.posting.organization.name}
    if stage == Stage.REJECTED:
        reason = (reason or "").strip()
        if not reason:
            raise ApplicationError(_("Give the student a reason."), code="invalid", extra={"reason": [_("Required.")]})
        application.rejection_reason = reason[:2000]
    if stage == Stage.INTERVIEW:
        place = (interview_place or "").strip()
        if interview_at is None or not place:
            raise ApplicationError(_("An interview needs a time and a place or link."), code="invalid",
                                   extra={"interview_at": [_("Required.")], "interview_place": [_("Required.")]})
        if interview_at < timezone.now():
            raise ApplicationError(_("The interview time is in the past."), code="invalid",
                                   extra={"interview_at": [_("The interview time is in the past.")]})
        application.interview_at, application.interview_place = interview_at, place[:300]
        params.update(when=timezone.localtime(interview_at).strftime("%Y-%m-%d %H:%M"), place=place[:300])
    application.stage = stage
    application.save()
    _event(application, actor)
    audit_log_record(actor=actor, action=f"application.{stage}", target=application,
                     data={"reason": reason[:200]} if stage == Stage.REJECTED else {})
    body = gettext_noop("Reason: %(reason)s") if stage == Stage.REJECTED else ""
    if stage == Stage.REJECTED:
        params["reason"] = application.rejection_reason
    notification_send(recipients=[application.student.user_id], title=STUDENT_TITLES[stage], body=body,
                      params=params, url=f"/enterprises/applications/{application.pk}/")
    return application


def application_bulk(*, actor: User, posting: Posting, application_ids: Iterable[int], stage: str,
                     reason: str = "") -> int:
    """Shortlist or reject several applicants of one posting at once: all or nothing."""
    if stage not in (Stage.SHORTLISTED, Stage.REJECTED):
        raise ApplicationError(_("Bulk actions shortlist or reject."), code="invalid")
    ids = sorted({int(i) for i in application_ids})
    if not ids:
        raise ApplicationError(_("Select at least one applicant."), code="invalid")
    with transaction.atomic():
        applications = list(Application.objects.filter(posting=posting, pk__in=ids))
        if len(applications) != len(ids):
            raise ApplicationError(_("Some selected applications are not of this posting."), code="invalid")
        for application in applications:
            application_move(actor=actor, application=application, stage=stage, reason=reason)
    return len(ids)


@transaction.atomic
def application_respond(*, actor: User, application: Application, accept: bool) -> Application:
    """The student accepts or declines an offer. An accepted internship offer calls the
    internship hook (enterprises.hooks.offer_accepted)."""
    application = _locked(application)
    if application.student.user_id != actor.pk:
        raise NotPermitted(_("Only the applicant answers an offer."))
    if application.stage != Stage.OFFER:
        raise ApplicationError(_("There is no offer to answer."), code="invalid_state")
    application.stage = Stage.ACCEPTED if accept else Stage.DECLINED
    application.save(update_fields=["stage", "updated_at"])
    _event(application, actor)
    audit_log_record(actor=actor, action=f"application.{application.stage}", target=application)
    title = (gettext_noop("%(name)s accepted your offer for %(title)s") if accept
             else gettext_noop("%(name)s declined your offer for %(title)s"))
    notification_send(recipients=_member_ids(application.posting.organization_id), title=title,
                      params={"name": actor.name_for_display, "title": application.posting.title},
                      url=f"/enterprises/applications/{application.pk}/review/")
    if accept:
        offer_accepted(application=application)
    return application


@transaction.atomic
def application_note_add(*, actor: User, application: Application, text: str) -> ApplicationNote:
    _require_owner(actor, application)
    text = (text or "").strip()
    if not text or "\x00" in text:
        raise ApplicationError(_("Write a note."), code="invalid", extra={"text": [_("Required.")]})
    note = ApplicationNote.objects.create(application=application, author=actor, text=text[:2000])
    audit_log_record(actor=actor, action="application.note", target=application)
    return note
