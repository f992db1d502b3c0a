"""Writes for expert lectures.

Capacity and the waitlist are decided with the lecture's row locked (`select_for_update`),
so concurrent sign-ups and cancellations are serialised per lecture: never more confirmed
than the capacity, and a cancellation promotes the first on the waitlist exactly once. A
unique constraint keeps one sign-up per student and lecture.

Attendance is saved all at once by the organiser (or a school administrator); each newly
attending student gets the `lecture_attendance` rule's points (idempotent by reference),
and a student unmarked later has that grant reversed."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record, notification_send
from accounts.text_input import text_clean
from teachers.models import Major

from ..points.models import PointEntry, PointSource
from ..points.services import point_rule_amount, points_grant, points_reverse
from ..profiles.models import StudentProfile
from .models import Lecture, LectureSignup

S = LectureSignup.Status
ORGANISER_ROLES = (Role.INDUSTRY, Role.SCHOOL_ADMIN)
MAX_CAPACITY = 5000
ATTENDANCE_REASON = gettext_noop("Attended the expert lecture “%(lecture)s”")
ATTENDANCE_REVERSED = gettext_noop("Attendance at “%(lecture)s” corrected by the organiser")


def can_manage(*, user: User, lecture: Lecture) -> bool:
    return user.role == Role.SCHOOL_ADMIN or (user.role == Role.INDUSTRY and lecture.organiser_id == user.pk)


def _clean(*, title, abstract, speaker, speaker_title, starts_at, duration_minutes, room, capacity) -> dict:
    try:
        capacity = int(capacity)
        duration_minutes = int(duration_minutes)
    except (TypeError, ValueError):
        raise ApplicationError(_("Capacity and duration are whole numbers."), code="number") from None
    if not 1 <= capacity <= MAX_CAPACITY:
        raise ApplicationError(_("The capacity is between 1 and %(n)d.") % {"n": MAX_CAPACITY}, code="capacity")
    if not 15 <= duration_minutes <= 480:
        raise ApplicationError(_("A lecture lasts 15 to 480 minutes."), code="duration")
    if not isinstance(starts_at, datetime.datetime):
        raise ApplicationError(_("Give the start date and time."), code="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    return {"title": text_clean(title, label=_("Title"), max_length=200),
            "abstract": text_clean(abstract, label=_("Abstract"), max_length=5000),
            "speaker": text_clean(speaker, label=_("Speaker"), max_length=120),
            "speaker_title": text_clean(speaker_title, label=_("Speaker's position"), max_length=200, required=False),
            "room": text_clean(room, label=_("Room"), max_length=120),
            "starts_at": starts_at, "duration_minutes": duration_minutes, "capacity": capacity}


@transaction.atomic
def lecture_schedule(*, actor: User, title: str, abstract: str, speaker: str, starts_at: datetime.datetime,
                     room: str, capacity: int, majors: list[Major] | None = None, speaker_title: str = "",
                     duration_minutes: int = 90) -> Lecture:
    """An industry master or a school administrator schedules a lecture (in the future)."""
    if actor.role not in ORGANISER_ROLES:
        raise NotPermitted(_("Industry masters and school administrators schedule expert lectures."))
    data = _clean(title=title, abstract=abstract, speaker=speaker, speaker_title=speaker_title, starts_at=starts_at,
                  duration_minutes=duration_minutes, room=room, capacity=capacity)
    if data["starts_at"] <= timezone.now():
        raise ApplicationError(_("A lecture is scheduled in the future."), code="starts_at")
    lecture = Lecture.objects.create(organiser=actor, **data)
    lecture.majors.set(majors or [])
    audit_log_record(actor=actor, action="lecture.schedule", target=lecture, data={"capacity": lecture.capacity})
    return lecture


def _promote(lecture: Lecture) -> list[LectureSignup]:
    """Fill free seats from the waitlist, first come first served (lecture row locked by the caller)."""
    free = lecture.capacity - LectureSignup.objects.filter(lecture=lecture, status=S.CONFIRMED).count()
    if free <= 0:
        return []
    promoted = list(LectureSignup.objects.filter(lecture=lecture, status=S.WAITLISTED)
                    .select_related("student").order_by("signed_up_at", "id")[:free])
    if not promoted:
        return []
    LectureSignup.objects.filter(pk__in=[s.pk for s in promoted]).update(status=S.CONFIRMED)
    notification_send(recipients=[s.student.user_id for s in promoted],
                      title=gettext_noop("A seat opened: you are confirmed for %(lecture)s"),
                      params={"lecture": lecture.title}, url=reverse("students:lecture_detail", args=[lecture.pk]))
    return promoted


@transaction.atomic
def lecture_update(*, actor: User, lecture: Lecture, majors: list[Major] | None = None, **fields) -> Lecture:
    """The organiser or an administrator edits a lecture that has not started. A larger
    capacity promotes from the waitlist; a smaller one may not drop below the confirmed."""
    lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)
    if not can_manage(user=actor, lecture=lecture):
        raise NotPermitted(_("Only the organiser or a school administrator edits this lecture."))
    if lecture.starts_at <= timezone.now():
        raise ApplicationError(_("The lecture has started: it can no longer be edited."), code="started")
    data = _clean(**{k: fields.get(k, getattr(lecture, k)) for k in (
        "title", "abstract", "speaker", "speaker_title", "starts_at", "duration_minutes", "room", "capacity")})
    if data["starts_at"] <= timezone.now():
        raise ApplicationError(_("A lecture is scheduled in the future."), code="starts_at")
    confirmed = LectureSignup.objects.filter(lecture=lecture, status=S.CONFIRMED).count()
    if data["capacity"] < confirmed:
        raise ApplicationError(_("%(n)d students are confirmed: the capacity cannot be lower.") % {"n": confirmed},
                               code="capacity_below_confirmed")
    for key, value in data.items():
        setattr(lecture, key, value)
    lecture.save()
    if majors is not None:
        lecture.majors.set(majors)
    _promote(lecture)
    audit_log_record(actor=actor, action="lecture.update", target=lecture, data={"capacity": lecture.capacity})
    return lecture


def _student(actor: User) -> StudentProfile:
    student = StudentProfile.objects.filter(user=actor).first()
    if student is None:
        raise NotPermitted(_("Only students sign up for lectures."))
    return student


@transaction.atomic
def lecture_signup(*, actor: User, lecture: Lecture) -> LectureSignup:
    """Confirmed while seats are free, else on the waitlist. Idempotent for a student
    already signed up; after a cancellation a new sign-up goes to the end of the line."""
    student = _student(actor)
    lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)  # serialises sign-ups per lecture
    if lecture.starts_at <= timezone.now():
        raise ApplicationError(_("The lecture has started: sign-up is closed."), code="started")
    major_ids = set(lecture.majors.values_list("pk", flat=True))
    if major_ids and student.major_id not in major_ids:
        raise ApplicationError(_("This lecture is for students of other majors."), code="other_major")
    signup = LectureSignup.objects.filter(lecture=lecture, student=student).first()
    if signup is not None and signup.status != S.CANCELLED:
        return signup
    confirmed = LectureSignup.objects.filter(lecture=lecture, status=S.CONFIRMED).count()
    status = S.CONFIRMED if confirmed < lecture.capacity else S.WAITLISTED
    now = timezone.now()
    if signup is None:
        signup = LectureSignup.objects.create(lecture=lecture, student=student, status=status, signed_up_at=now)
    else:
        signup.status, signup.signed_up_at, signup.attended = status, now, False
        signup.save(update_fields=["status", "signed_up_at", "attended"])
    audit_log_record(actor=actor, action="lecture.signup", target=signup, data={"status": status})
    notification_send(
        recipients=[actor],
        title=(gettext_noop("You are signed up for %(lecture)s, %(when)s") if status == S.CONFIRMED
               else gettext_noop("You are on the waitlist for %(lecture)s, %(when)s")),
        params={"lecture": lecture.title, "when": timezone.localtime(lecture.starts_at).strftime("%Y-%m-%d %H:%M")},
        url=reverse("students:lecture_detail", args=[lecture.pk]))
    return signup


@transaction.atomic
def lecture_cancel(*, actor: User, lecture: Lecture) -> LectureSignup:
    """A student cancels before the start; a freed seat goes to the first on the waitlist."""
    student = _student(actor)
    lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)
    if lecture.starts_at <= timezone.now():
        raise ApplicationError(_("The lecture has started: a sign-up can no longer be cancelled."), code="started")
    signup = LectureSignup.objects.filter(lecture=lecture, student=student).exclude(status=S.CANCELLED).first()
    if signup is None:
        raise ApplicationError(_("You are not signed up for this lecture."), code="not_signed_up")
    was_confirmed = signup.status == S.CONFIRMED
    signup.status = S.CANCELLED
    signup.save(update_fields=["status"])
    audit_log_record(actor=actor, action="lecture.cancel", target=signup)
    if was_confirmed:
        _promote(lecture)
    return signup


@transaction.atomic
def attendance_save(*, actor: User, lecture: Lecture, student_numbers: list[str]) -> dict:
    """Who attended, all at once: `student_numbers` are the attendees (the rest did not
    come). Every number must belong to a student signed up (confirmed or waitlisted);
    otherwise nothing is written. Newly attending students get the rule's points; a
    student unmarked has their grant reversed."""
    lecture = Lecture.objects.select_for_update().get(pk=lecture.pk)
    if not can_manage(user=actor, lecture=lecture):
        raise NotPermitted(_("Only the organiser or a school administrator takes attendance."))
    if lecture.starts_at > timezone.now():
        raise ApplicationError(_("Attendance is taken once the lecture has started."), code="not_started")
    wanted = {n.strip() for n in student_numbers if n and n.strip()}
    signups = {s.student.student_number: s for s in LectureSignup.objects.filter(lecture=lecture).exclude(
        status=S.CANCELLED).select_related("student")}
    unknown = sorted(wanted - set(signups))
    if unknown:
        raise ApplicationError(_("Not signed up for this lecture: %(numbers)s.") % {"numbers": ", ".join(unknown[:20])},
                               code="not_signed_up")
    newly = [s for n, s in signups.items() if n in wanted and not s.attended]
    removed = [s for n, s in signups.items() if n not in wanted and s.attended]
    LectureSignup.objects.filter(pk__in=[s.pk for s in newly]).update(attended=True)
    LectureSignup.objects.filter(pk__in=[s.pk for s in removed]).update(attended=False)
    amount = point_rule_amount(source=PointSource.LECTURE_ATTENDANCE, key="attended") or 0
    params = {"lecture": lecture.title}
    if amount:
        from teachers.selectors import term_current

        term = term_current(today=timezone.localdate(lecture.starts_at))
        for signup in newly:
            points_grant(actor=actor, student=signup.student_id, source=PointSource.LECTURE_ATTENDANCE,
                         amount=amount, reason=ATTENDANCE_REASON, reason_params=params, term=term,
                         reference=_reference(lecture, signup))
    for signup in removed:
        entry = PointEntry.objects.filter(source=PointSource.LECTURE_ATTENDANCE, reference=_reference(lecture, signup),
                                          reverses__isnull=True, reversed_by__isnull=True).first()
        if entry is not None:
            points_reverse(actor=actor, entry=entry, reason=ATTENDANCE_REVERSED, reason_params=params)
    lecture.attendance_taken_at = timezone.now()
    lecture.save(update_fields=["attendance_taken_at"])
    if newly:
        notification_send(recipients=[s.student.user_id for s in newly],
                          title=gettext_noop("Thank you for attending %(lecture)s: +%(points)s points"),
                          params={**params, "points": amount},
                          url=reverse("students:lecture_detail", args=[lecture.pk]))
    audit_log_record(actor=actor, action="lecture.attendance", target=lecture,
                     data={"attended": len(wanted), "added": len(newly), "removed": len(removed)})
    return {"attended": len(wanted), "added": len(newly), "removed": len(removed), "points": amount}


def _reference(lecture: Lecture, signup: LectureSignup) -> str:
    """The grant's idempotency key. After a reversal a re-marked student gets a new grant,
    so the key counts the earlier reversals."""
    base = f"lecture:{lecture.pk}:{signup.student_id}"
    reversed_before = PointEntry.objects.filter(
        Q(reference=base) | Q(reference__startswith=f"{base}:"), source=PointSource.LECTURE_ATTENDANCE,
        reverses__isnull=False).count()
    return base if not reversed_before else f"{base}:{reversed_before}"


def student_numbers_from_csv(data: bytes) -> list[str]:
    """Student numbers from an uploaded attendance file: one per line, or a CSV with a
    `student_number` column (UTF-8). Refused with the reason otherwise."""
    import csv
    import io

    if len(data) > 2 * 1024 * 1024:
        raise ApplicationError(_("The attendance file is larger than 2 MB."), code="too_large", status_code=413)
    if b"\x00" in data:
        raise ApplicationError(_("The attendance file is not a text file."), code="not_text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(_("The attendance file is not UTF-8 text."), code="not_text") from None
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise ApplicationError(_("The attendance file is empty."), code="empty")
    header = [c.strip().lower() for c in rows[0]]
    column = header.index("student_number") if "student_number" in header else None
    body = rows[1:] if column is not None else rows
    column = column or 0
    return [r[column].strip() for r in body if len(r) > column and r[column].strip()]
