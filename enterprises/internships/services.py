"""Writes of the internships: placements (from an accepted offer or a class assigned in
one batch), posts, check-ins, weekly logs and their reviews, the conversation, leave
requests and the summary. Keyword-only, atomic, audited; who may act is checked here."""

from __future__ import annotations

import datetime
import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Membership, Organization, Role, User
from accounts.services import audit_log_record, notification_send
from students.models import PointSource, StudentProfile
from students.services import points_grant_by_rule

from ..validation import check_upload
from .models import (
    CheckIn,
    Grade,
    IntegrityFlag,
    InternshipSummary,
    LeaveRequest,
    LogPhoto,
    Message,
    Placement,
    Post,
    WeeklyLog,
)
from .signals import post_closed

LOG_POINTS_REASON = gettext_noop("Internship log reviewed: week %(week)s at %(organization)s")
OPEN_STATES = (Placement.Status.PLANNED, Placement.Status.ACTIVE)


def _today() -> datetime.date:
    return timezone.localdate()


def _placement_url(placement: Placement) -> str:
    return reverse("enterprises:internship_placement", args=[placement.pk])


def _participants(placement: Placement) -> list[int]:
    return [uid for uid in (placement.student.user_id, placement.mentor_id, placement.tutor_id) if uid]


def _check_people(*, organization: Organization, mentor: User | None, tutor: User | None) -> None:
    if mentor is not None and not Membership.objects.filter(organization=organization, user=mentor).exists():
        raise ApplicationError(_("The mentor must be a member of the organisation."), code="mentor_not_member")
    if tutor is not None and tutor.role != Role.TEACHER:
        raise ApplicationError(_("The tutor must be a teacher."), code="tutor_not_teacher")


def _check_dates(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise ApplicationError(_("The end date is before the start date."), code="dates_reversed")
    if (ends_on - starts_on).days > 366:
        raise ApplicationError(_("A placement lasts at most a year."), code="too_long")


def _initial_status(starts_on: datetime.date, ends_on: datetime.date) -> str:
    today = _today()
    if ends_on < today:
        return Placement.Status.FINISHED
    return Placement.Status.ACTIVE if starts_on <= today else Placement.Status.PLANNED


@dataclass
class PlacementData:
    organization: Organization
    starts_on: datetime.date
    ends_on: datetime.date
    mentor: User | None = None
    tutor: User | None = None
    title: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    radius_m: int = 500


def _placement_build(*, actor: User | None, student: StudentProfile, data: PlacementData, application=None
                     ) -> Placement:
    return Placement(
        student=student, organization=data.organization, application=application, mentor=data.mentor,
        tutor=data.tutor, title=data.title[:200], starts_on=data.starts_on, ends_on=data.ends_on,
        status=_initial_status(data.starts_on, data.ends_on), latitude=data.latitude, longitude=data.longitude,
        radius_m=data.radius_m, created_by=actor)


@transaction.atomic
def placement_create_for_application(*, application) -> Placement:
    """The placement of an accepted internship offer (idempotent: one per application).
    Mentor: the posting's author when still a member, else a manager of the organisation;
    tutor: the head teacher of the student's class; dates: from next week, for
    INTERNSHIP_DEFAULT_WEEKS weeks (the mentor or tutor adjusts them)."""
    existing = Placement.objects.filter(application=application).first()
    if existing is not None:
        return existing
    posting = application.posting
    organization = posting.organization
    members = Membership.objects.filter(organization=organization)
    mentor = None
    if posting.created_by_id and members.filter(user_id=posting.created_by_id).exists():
        mentor = posting.created_by
    else:
        first = members.select_related("user").order_by("-is_manager", "joined_at", "id").first()
        mentor = first.user if first else None
    student = application.student
    tutor = student.school_class.head_teacher
    starts_on = _today() + datetime.timedelta(days=7)
    ends_on = starts_on + datetime.timedelta(weeks=settings.INTERNSHIP_DEFAULT_WEEKS, days=-1)
    data = PlacementData(organization=organization, starts_on=starts_on, ends_on=ends_on, mentor=mentor,
                         tutor=tutor, title=posting.title)
    placement = _placement_build(actor=student.user, student=student, data=data, application=application)
    placement.save()
    audit_log_record(actor=student.user, action="internship.placement.create", target=placement,
                     data={"application": application.pk})
    notification_send(recipients=[uid for uid in (mentor and mentor.pk, tutor and tutor.pk) if uid],
                      title=gettext_noop("New intern: %(student)s at %(organization)s"),
                      params={"student": student.user.name_for_display, "organization": organization.name},
                      url=_placement_url(placement))
    return placement


def placements_backfill_due() -> int:
    """Placements for the accepted offers recorded as due before this feature landed
    (AuditLog action "internship.placement_due"). Idempotent; returns how many were made."""
    from accounts.models import AuditLog

    from ..models import Application

    ids = {int(t) for t in AuditLog.objects.filter(action="internship.placement_due")
           .values_list("target_id", flat=True) if str(t).isdigit()}
    done = set(Placement.objects.filter(application_id__in=ids).values_list("application_id", flat=True))
    made = 0
    for application in Application.objects.filter(pk__in=ids - done, stage=Application.Stage.ACCEPTED) \
            .select_related("posting__organization", "posting__created_by", "student__school_class__head_teacher",
                            "student__user"):
        placement_create_for_application(application=application)
        made += 1
    return made


def _can_assign(actor: User, school_class) -> bool:
    return actor.role == Role.SCHOOL_ADMIN or (actor.role == Role.TEACHER and school_class.head_teacher_id == actor.pk)


@transaction.atomic
def placements_assign_class(*, actor: User, school_class, data: PlacementData,
                            student_ids: Iterable[int] | None = None) -> list[Placement]:
    """A teacher assigns (the chosen students of) a class they head to a practice base in
    one batch. Students who already have an open placement overlapping the dates are
    refused together: nothing is created then."""
    if not _can_assign(actor, school_class):
        raise NotPermitted(_("Only the class's head teacher or a school administrator may assign it."))
    _check_dates(data.starts_on, data.ends_on)
    _check_people(organization=data.organization, mentor=data.mentor, tutor=data.tutor)
    students = StudentProfile.objects.filter(school_class=school_class).select_related("user")
    if student_ids is not None:
        students = students.filter(pk__in=list(student_ids))
    students = list(students)
    if not students:
        raise ApplicationError(_("There are no students to assign."), code="no_students")
    busy = list(Placement.objects.filter(student__in=students, status__in=OPEN_STATES, starts_on__lte=data.ends_on,
                                         ends_on__gte=data.starts_on).values_list("student__student_number",
                                                                                  flat=True))
    if busy:
        raise ApplicationError(_("These students already have a placement in those dates: %(numbers)s")
                               % {"numbers": ", ".join(sorted(busy))}, code="overlapping_placement", status_code=409)
    placements = Placement.objects.bulk_create(
        [_placement_build(actor=actor, student=s, data=data) for s in students])
    audit_log_record(actor=actor, action="internship.placements.assign", target=data.organization,
                     data={"class": school_class.pk, "placements": [p.pk for p in placements]})
    notification_send(recipients=[s.user_id for s in students] + [u.pk for u in (data.mentor, data.tutor) if u],
                      title=gettext_noop("Internship placement at %(organization)s from %(starts)s"),
                      params={"organization": data.organization.name, "starts": data.starts_on.isoformat()},
                      url=reverse("enterprises:internship_home"))
    return placements


@transaction.atomic
def placement_update(*, actor: User, placement: Placement, mentor: User | None = None, starts_on=None,
                     ends_on=None, latitude=None, longitude=None, radius_m: int | None = None) -> Placement:
    """The tutor (or a school administrator) or the mentor adjusts dates, place and mentor."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if not (actor.role == Role.SCHOOL_ADMIN or actor.pk in (placement.tutor_id, placement.mentor_id)):
        raise NotPermitted(_("Only the placement's tutor or mentor may change it."))
    if placement.status == Placement.Status.TERMINATED:
        raise ApplicationError(_("The placement was terminated."), code="terminated", status_code=409)
    if mentor is not None:
        _check_people(organization=placement.organization, mentor=mentor, tutor=None)
        placement.mentor = mentor
    placement.starts_on = starts_on or placement.starts_on
    placement.ends_on = ends_on or placement.ends_on
    _check_dates(placement.starts_on, placement.ends_on)
    if latitude is not None and longitude is not None:
        placement.latitude, placement.longitude = latitude, longitude
    if radius_m is not None:
        if not 20 <= radius_m <= 20000:
            raise ApplicationError(_("The radius is between 20 m and 20 km."), code="radius")
        placement.radius_m = radius_m
    if placement.status in OPEN_STATES:
        placement.status = _initial_status(placement.starts_on, placement.ends_on)
    placement.save()
    audit_log_record(actor=actor, action="internship.placement.update", target=placement)
    return placement


@transaction.atomic
def placement_terminate(*, actor: User, placement: Placement, reason: str) -> Placement:
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if not (actor.role == Role.SCHOOL_ADMIN or actor.pk == placement.tutor_id):
        raise NotPermitted(_("Only the placement's tutor may terminate it."))
    if placement.status not in OPEN_STATES:
        raise ApplicationError(_("Only a planned or active placement can be terminated."), code="not_open",
                               status_code=409)
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), code="reason_required")
    placement.status = Placement.Status.TERMINATED
    placement.terminated_reason = reason.strip()[:300]
    placement.save(update_fields=["status", "terminated_reason"])
    audit_log_record(actor=actor, action="internship.placement.terminate", target=placement, data={"reason": reason})
    notification_send(recipients=_participants(placement), title=gettext_noop("Internship placement terminated"),
                      params={}, url=_placement_url(placement))
    return placement


@transaction.atomic
def post_add(*, actor: User, placement: Placement, title: str, duties: str, starts_on: datetime.date,
             ends_on: datetime.date) -> Post:
    if actor.pk not in (placement.mentor_id, placement.tutor_id) and actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only the placement's mentor or tutor may plan its posts."))
    _check_dates(starts_on, ends_on)
    if starts_on < placement.starts_on or ends_on > placement.ends_on:
        raise ApplicationError(_("A post lies within the placement's dates."), code="outside_placement")
    if not title.strip():
        raise ApplicationError(_("Name the post."), code="title_required")
    post = Post.objects.create(placement=placement, title=title.strip()[:200], duties=duties, starts_on=starts_on,
                               ends_on=ends_on)
    audit_log_record(actor=actor, action="internship.post.add", target=post)
    return post


def post_close(*, post: Post, actor: User | None = None) -> bool:
    """Close a post that ended; `post_closed` lets the evaluations app open its round.
    Idempotent: a closed post stays closed."""
    with transaction.atomic():
        updated = Post.objects.filter(pk=post.pk, closed_at__isnull=True).update(closed_at=timezone.now())
        if not updated:
            return False
        post.refresh_from_db()
        audit_log_record(actor=actor, action="internship.post.close", target=post)
        post_closed.send(sender=Post, post=post)
    return True


def placements_advance(*, today: datetime.date | None = None) -> dict:
    """Beat: planned placements whose first day came become active, active ones past their
    last day finished; posts past their end close. Idempotent."""
    today = today or _today()
    started = Placement.objects.filter(status=Placement.Status.PLANNED, starts_on__lte=today,
                                       ends_on__gte=today).update(status=Placement.Status.ACTIVE)
    finished = Placement.objects.filter(status__in=OPEN_STATES, ends_on__lt=today).update(
        status=Placement.Status.FINISHED)
    closed = 0
    for post in Post.objects.filter(closed_at__isnull=True, ends_on__lt=today).exclude(
            placement__status=Placement.Status.TERMINATED).select_related("placement"):
        closed += post_close(post=post)
    return {"started": started, "finished": finished, "posts_closed": closed}


# --- Check-ins ------------------------------------------------------------------------


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def device_hash(*, user_agent: str, traits: str = "") -> str:
    """What the tutor compares across students: a hash of the browser's user agent and the
    traits its page reports (screen, time zone, language, platform) — never stored raw.
    Without traits (a script, a browser without JavaScript) there is nothing to compare:
    many clients share one user agent, so no hash is kept."""
    if not traits.strip():
        return ""
    return hashlib.sha256(f"{user_agent[:500]}|{traits[:500]}".encode()).hexdigest()


def _late_after() -> datetime.time:
    hours, _sep, minutes = settings.INTERNSHIP_CHECKIN_LATE_AFTER.partition(":")
    return datetime.time(int(hours), int(minutes or 0))


def _coordinate(value, low: float, high: float, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ApplicationError(_("The %(what)s is not a number.") % {"what": what}, code="invalid_location") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ApplicationError(_("The %(what)s is out of range.") % {"what": what}, code="invalid_location")
    return Decimal(str(round(number, 6)))


@transaction.atomic
def checkin_record(*, actor: User, placement: Placement, latitude=None, longitude=None, accuracy_m=None,
                   ip: str | None = None, user_agent: str = "", traits: str = "") -> CheckIn:
    """Today's check-in of the intern. One per day (a second: 409). Far from the
    placement's place: recorded and flagged, never refused; after the late hour: marked late."""
    if placement.student.user_id != actor.pk:
        raise NotPermitted(_("Only the intern checks in."))
    now = timezone.now()
    today = timezone.localdate(now)
    if placement.status != Placement.Status.ACTIVE or not placement.starts_on <= today <= placement.ends_on:
        raise ApplicationError(_("The placement is not running today."), code="not_active")
    lat = _coordinate(latitude, -90, 90, _("latitude"))
    lon = _coordinate(longitude, -180, 180, _("longitude"))
    if (lat is None) != (lon is None):
        raise ApplicationError(_("Send both latitude and longitude, or neither."), code="invalid_location")
    distance = far = None
    if lat is not None and placement.latitude is not None and placement.longitude is not None:
        distance = round(distance_m(float(lat), float(lon), float(placement.latitude), float(placement.longitude)), 1)
        far = distance > placement.radius_m
    try:
        accuracy = float(accuracy_m) if accuracy_m not in (None, "") else None
    except (TypeError, ValueError):
        accuracy = None
    checkin = CheckIn(placement=placement, day=today, at=now, latitude=lat, longitude=lon,
                      accuracy_m=accuracy if accuracy is None or math.isfinite(accuracy) else None,
                      distance_m=distance, far=bool(far), late=timezone.localtime(now).time() > _late_after(),
                      ip=ip or None, device_hash=device_hash(user_agent=user_agent, traits=traits))
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        raise ApplicationError(_("You have already checked in today."), code="already_checked_in",
                               status_code=409) from None
    return checkin


# --- Weekly logs ----------------------------------------------------------------------


def _check_text(text: str) -> str:
    text = (text or "").strip()
    minimum = settings.INTERNSHIP_LOG_MIN_CHARS
    if len(text) < minimum:
        raise ApplicationError(_("The log needs at least %(n)d characters (it has %(has)d).")
                               % {"n": minimum, "has": len(text)}, code="text_too_short",
                               extra={"text": [_("At least %(n)d characters.") % {"n": minimum}]})
    if len(text) > 20000:
        raise ApplicationError(_("The log is longer than 20,000 characters."), code="text_too_long")
    return text


def _check_files(video, photos: Sequence) -> tuple:
    if len(photos) > settings.INTERNSHIP_PHOTOS_MAX:
        raise ApplicationError(_("At most %(n)d photos.") % {"n": settings.INTERNSHIP_PHOTOS_MAX}, code="too_many_photos")
    checked_photos = [(p, check_upload(p, allowed=("image",), max_bytes=settings.INTERNSHIP_PHOTO_MAX_BYTES))
                      for p in photos]
    checked_video = None
    if video is not None:
        checked_video = check_upload(video, allowed=("video",), max_bytes=settings.INTERNSHIP_VIDEO_MAX_BYTES,
                                     max_seconds=settings.INTERNSHIP_VIDEO_MAX_SECONDS,
                                     max_side=settings.INTERNSHIP_VIDEO_MAX_SIDE)
    return checked_video, checked_photos


def _attach_files(log: WeeklyLog, video, checked_video, checked_photos) -> None:
    """Store the checked files; the poster frame is made by the worker after commit."""
    from .tasks import log_video_poster_task

    if video is not None:
        if log.video:
            log.video.delete(save=False)
        if log.poster:
            log.poster.delete(save=False)
        log.video.save(f"log-{log.pk}{checked_video.extension}", ContentFile(video.read()), save=False)
        log.video_content_type = checked_video.content_type
        log.video_duration_s = checked_video.video.duration_s if checked_video.video else None
        log.video_width = checked_video.video.width if checked_video.video else None
        log.video_height = checked_video.video.height if checked_video.video else None
        log.poster_status = WeeklyLog.Poster.PENDING
        log.save()
        transaction.on_commit(lambda: log_video_poster_task.delay(log.pk))
    for upload, checked in checked_photos:
        photo = LogPhoto(log=log, content_type=checked.content_type)
        photo.image.save(f"log-{log.pk}{checked.extension}", ContentFile(upload.read()), save=False)
        photo.save()


@transaction.atomic
def log_submit(*, actor: User, placement: Placement, text: str, day: datetime.date | None = None, video=None,
               photos: Sequence = ()) -> WeeklyLog:
    """The intern's log of the week `day` falls in (today by default). A day outside the
    placement's dates: 400. One log per week (a second: 409; revise a returned one).
    Files are checked by content before anything is written."""
    if placement.student.user_id != actor.pk:
        raise NotPermitted(_("Only the intern writes their logs."))
    if placement.status == Placement.Status.TERMINATED:
        raise ApplicationError(_("The placement was terminated."), code="terminated", status_code=409)
    day = day or _today()
    if not placement.starts_on <= day <= placement.ends_on:
        raise ApplicationError(_("The week must lie within the placement's dates (%(starts)s – %(ends)s).")
                               % {"starts": placement.starts_on, "ends": placement.ends_on}, code="outside_placement")
    if day > _today():
        raise ApplicationError(_("A log cannot be written for a future week."), code="future_week")
    text = _check_text(text)
    checked_video, checked_photos = _check_files(video, photos)
    week = placement.week_of(day)
    if WeeklyLog.objects.filter(placement=placement, week=week).exists():
        raise ApplicationError(_("The log of week %(week)d is already submitted.") % {"week": week},
                               code="log_exists", status_code=409)
    now = timezone.now()
    due = placement.week_due(week)
    log = WeeklyLog.objects.create(placement=placement, week=week, due_on=due, text=text, submitted_at=now,
                                   late=timezone.localdate(now) > due)
    _attach_files(log, video, checked_video, checked_photos)
    audit_log_record(actor=actor, action="internship.log.submit", target=log)
    notification_send(recipients=[u for u in (placement.mentor_id, placement.tutor_id) if u],
                      title=gettext_noop("Weekly log to review: %(student)s, week %(week)s"),
                      params={"student": placement.student.user.name_for_display, "week": week},
                      url=reverse("enterprises:internship_log", args=[log.pk]))
    return log


@transaction.atomic
def log_revise(*, actor: User, log: WeeklyLog, text: str, video=None, photos: Sequence = ()) -> WeeklyLog:
    """The intern rewrites a log sent back for revision; it returns to the reviewers."""
    log = WeeklyLog.objects.select_for_update().select_related("placement__student__user").get(pk=log.pk)
    if log.placement.student.user_id != actor.pk:
        raise NotPermitted(_("Only the intern writes their logs."))
    if log.status != WeeklyLog.Status.RETURNED:
        raise ApplicationError(_("Only a log sent back for revision can be revised."), code="not_returned",
                               status_code=409)
    log.text = _check_text(text)
    checked_video, checked_photos = _check_files(video, photos)
    log.status = WeeklyLog.Status.SUBMITTED
    log.submitted_at = timezone.now()
    log.mentor_grade = log.tutor_grade = ""
    log.mentor_reviewed_at = log.tutor_reviewed_at = None
    log.signature = None
    log.save()
    _attach_files(log, video, checked_video, checked_photos)
    audit_log_record(actor=actor, action="internship.log.revise", target=log)
    return log


def reviewer_party(*, user: User, placement: Placement) -> str | None:
    if user.pk == placement.mentor_id:
        return "mentor"
    if user.pk == placement.tutor_id:
        return "tutor"
    return None


@transaction.atomic
def log_review(*, actor: User, log: WeeklyLog, grade: str = "", comment: str = "", send_back: bool = False
               ) -> WeeklyLog:
    """The mentor or the tutor grades (A–D) and comments a log, or sends it back for
    revision with a comment. Once each reviewer the placement has graded it, it is
    reviewed and the intern earns INTERNSHIP_LOG points by the grade's rule."""
    log = WeeklyLog.objects.select_for_update().get(pk=log.pk)
    placement = Placement.objects.select_related("student__user", "organization").get(pk=log.placement_id)
    party = reviewer_party(user=actor, placement=placement)
    if party is None:
        raise NotPermitted(_("Only the intern's mentor or tutor reviews their logs."))
    if log.status == WeeklyLog.Status.RETURNED:
        raise ApplicationError(_("The log was sent back; wait for the revision."), code="returned", status_code=409)
    comment = (comment or "").strip()
    if send_back:
        if not comment:
            raise ApplicationError(_("Say what to revise."), code="comment_required")
        log.status = WeeklyLog.Status.RETURNED
        setattr(log, f"{party}_comment", comment)
        log.save()
        audit_log_record(actor=actor, action="internship.log.return", target=log)
        notification_send(recipients=[placement.student.user_id],
                          title=gettext_noop("Your log of week %(week)s was sent back for revision"),
                          params={"week": log.week}, url=reverse("enterprises:internship_log", args=[log.pk]))
        return log
    if grade not in Grade.values:
        raise ApplicationError(_("Choose a grade."), code="grade_required", extra={"grade": [_("Choose a grade.")]})
    setattr(log, f"{party}_grade", grade)
    setattr(log, f"{party}_comment", comment)
    setattr(log, f"{party}_reviewed_at", timezone.now())
    needed = [p for p, uid in (("mentor", placement.mentor_id), ("tutor", placement.tutor_id)) if uid]
    became_reviewed = False
    if all(getattr(log, f"{p}_grade") for p in needed) and log.status != WeeklyLog.Status.REVIEWED:
        log.status = WeeklyLog.Status.REVIEWED
        became_reviewed = True
    log.save()
    audit_log_record(actor=actor, action="internship.log.review", target=log, data={"party": party, "grade": grade})
    if became_reviewed:
        grades = [getattr(log, f"{p}_grade") for p in needed]
        key = max(grades)  # the lower of the grades ("A" < "D")
        points_grant_by_rule(actor=actor, student=placement.student, source=PointSource.INTERNSHIP_LOG, key=key,
                             reason=LOG_POINTS_REASON, reason_params={"week": log.week,
                                                                      "organization": placement.organization.name},
                             reference=f"internship-log:{log.pk}")
        notification_send(recipients=[placement.student.user_id],
                          title=gettext_noop("Your log of week %(week)s was reviewed"), params={"week": log.week},
                          url=reverse("enterprises:internship_log", args=[log.pk]))
    return log


def logs_review_batch(*, actor: User, items: Iterable[tuple[int, str, str]]) -> int:
    """The batch page: (log id, grade, comment) for each log graded; each in its own
    transaction, so one refused log does not undo the others. Returns how many were graded."""
    done = 0
    for log_id, grade, comment in items:
        log = WeeklyLog.objects.filter(pk=log_id).first()
        if log is None or not grade:
            continue
        try:
            log_review(actor=actor, log=log, grade=grade, comment=comment)
            done += 1
        except NotPermitted:
            raise
        except ApplicationError:
            continue
    return done


def logs_remind_due(*, today: datetime.date | None = None) -> int:
    """Beat: each active intern whose log of the week that ended is missing is reminded
    once (Placement.reminded_week), and so is their tutor. Returns the reminders sent."""
    today = today or _today()
    sent = 0
    placements = Placement.objects.filter(status=Placement.Status.ACTIVE, starts_on__lte=today).select_related(
        "student__user")
    for placement in placements:
        week = placement.week_of(today)
        # The last week whose due date has come (today included).
        due_week = week if placement.week_due(week) <= today else week - 1
        if due_week < 1 or placement.reminded_week >= due_week:
            continue
        if WeeklyLog.objects.filter(placement=placement, week=due_week).exists():
            Placement.objects.filter(pk=placement.pk).update(reminded_week=due_week)
            continue
        with transaction.atomic():
            Placement.objects.filter(pk=placement.pk).update(reminded_week=due_week)
            notification_send(recipients=[placement.student.user_id],
                              title=gettext_noop("Your internship log of week %(week)s is due"),
                              body=gettext_noop("It was due on %(due)s."),
                              params={"week": due_week, "due": placement.week_due(due_week).isoformat()},
                              url=_placement_url(placement))
        sent += 1
    return sent


# --- Integrity flags, conversation, leave, summary ------------------------------------


@transaction.atomic
def flag_dismiss(*, actor: User, flag: IntegrityFlag) -> IntegrityFlag:
    placement = flag.placement
    if actor.pk != placement.tutor_id and actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only the tutor dismisses a flag."))
    flag.dismissed_at = timezone.now()
    flag.dismissed_by = actor
    flag.save(update_fields=["dismissed_at", "dismissed_by"])
    audit_log_record(actor=actor, action="internship.flag.dismiss", target=flag)
    return flag


@transaction.atomic
def message_post(*, actor: User, placement: Placement, body: str) -> Message:
    if actor.pk not in _participants(placement):
        raise NotPermitted(_("Only the intern, the mentor and the tutor write in this conversation."))
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("Write a message."), code="empty_message")
    if len(body) > 4000:
        raise ApplicationError(_("A message has at most 4,000 characters."), code="message_too_long")
    message = Message.objects.create(placement=placement, author=actor, body=body)
    notification_send(recipients=[u for u in _participants(placement) if u != actor.pk],
                      title=gettext_noop("New message about the internship of %(student)s"),
                      params={"student": placement.student.user.name_for_display},
                      url=_placement_url(placement) + "#conversation")
    return message


@transaction.atomic
def leave_request(*, actor: User, placement: Placement, starts_on: datetime.date, ends_on: datetime.date,
                  reason: str) -> LeaveRequest:
    if placement.student.user_id != actor.pk:
        raise NotPermitted(_("Only the intern asks for leave."))
    _check_dates(starts_on, ends_on)
    if starts_on < placement.starts_on or ends_on > placement.ends_on:
        raise ApplicationError(_("The leave lies within the placement's dates."), code="outside_placement")
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), code="reason_required")
    leave = LeaveRequest.objects.create(placement=placement, starts_on=starts_on, ends_on=ends_on,
                                        reason=reason.strip()[:300])
    notification_send(recipients=[u for u in (placement.mentor_id, placement.tutor_id) if u],
                      title=gettext_noop("Leave request from %(student)s: %(starts)s – %(ends)s"),
                      params={"student": placement.student.user.name_for_display, "starts": starts_on.isoformat(),
                              "ends": ends_on.isoformat()}, url=_placement_url(placement) + "#leave")
    return leave


@transaction.atomic
def leave_decide(*, actor: User, leave: LeaveRequest, approve: bool) -> LeaveRequest:
    """Mentor and tutor each decide; approved when both (those the placement has) approve,
    rejected as soon as one rejects."""
    leave = LeaveRequest.objects.select_for_update().select_related("placement__student").get(pk=leave.pk)
    placement = leave.placement
    party = reviewer_party(user=actor, placement=placement)
    if party is None:
        raise NotPermitted(_("Only the mentor and the tutor decide on leave."))
    if leave.status != LeaveRequest.Status.PENDING:
        raise ApplicationError(_("The request was already decided."), code="decided", status_code=409)
    decision = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.REJECTED
    setattr(leave, f"{party}_decision", decision)
    needed = [getattr(leave, f"{p}_decision") for p, uid in (("mentor", placement.mentor_id),
                                                            ("tutor", placement.tutor_id)) if uid]
    if LeaveRequest.Status.REJECTED in needed:
        leave.status = LeaveRequest.Status.REJECTED
    elif all(d == LeaveRequest.Status.APPROVED for d in needed):
        leave.status = LeaveRequest.Status.APPROVED
    leave.save()
    audit_log_record(actor=actor, action="internship.leave.decide", target=leave, data={"approve": approve})
    if leave.status != LeaveRequest.Status.PENDING:
        title = (gettext_noop("Your leave request was approved") if leave.status == LeaveRequest.Status.APPROVED
                 else gettext_noop("Your leave request was rejected"))
        notification_send(recipients=[placement.student.user_id], title=title,
                          params={"starts": leave.starts_on.isoformat()}, url=_placement_url(placement) + "#leave")
    return leave


@transaction.atomic
def summary_write(*, actor: User, placement: Placement, text: str) -> InternshipSummary:
    if placement.student.user_id != actor.pk:
        raise NotPermitted(_("Only the intern writes the summary."))
    text = (text or "").strip()
    if len(text) < settings.INTERNSHIP_LOG_MIN_CHARS:
        raise ApplicationError(_("The summary needs at least %(n)d characters.")
                               % {"n": settings.INTERNSHIP_LOG_MIN_CHARS}, code="text_too_short")
    summary, _created = InternshipSummary.objects.get_or_create(placement=placement, defaults={"text": text})
    if summary.tutor_signed_at or summary.mentor_signed_at:
        raise ApplicationError(_("The summary is signed and can no longer change."), code="signed", status_code=409)
    summary.text = text
    summary.save()
    notification_send(recipients=[u for u in (placement.mentor_id, placement.tutor_id) if u],
                      title=gettext_noop("Internship summary to sign: %(student)s"),
                      params={"student": placement.student.user.name_for_display},
                      url=_placement_url(placement) + "#summary")
    return summary


@transaction.atomic
def summary_sign(*, actor: User, placement: Placement, comment: str = "") -> InternshipSummary:
    party = reviewer_party(user=actor, placement=placement)
    if party is None:
        raise NotPermitted(_("Only the mentor and the tutor sign the summary."))
    summary = InternshipSummary.objects.select_for_update().filter(placement=placement).first()
    if summary is None:
        raise ApplicationError(_("The intern has not written the summary yet."), code="no_summary", status_code=409)
    setattr(summary, f"{party}_signed_at", timezone.now())
    setattr(summary, f"{party}_comment", (comment or "").strip()[:500])
    summary.save()
    audit_log_record(actor=actor, action="internship.summary.sign", target=summary, data={"party": party})
    return summary
