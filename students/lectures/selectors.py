"""Reads for expert lectures: lists with seat counts in one query, the user's own sign-up,
the organiser's roster."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User

from ..profiles.models import StudentProfile
from .models import Lecture, LectureSignup

S = LectureSignup.Status


def lectures_for_user(*, user: User, when: str = "upcoming") -> QuerySet[Lecture]:
    """Every signed-in role sees the school's lectures; `when` is upcoming (soonest first),
    past (latest first) or all. Seat counts are annotated; students get their own status
    (`my_status`), and see lectures of their major or open to all."""
    now = timezone.now()
    qs = Lecture.objects.select_related("organiser").annotate(
        n_confirmed=Count("signups", filter=Q(signups__status=S.CONFIRMED), distinct=True),
        n_waitlisted=Count("signups", filter=Q(signups__status=S.WAITLISTED), distinct=True),
        n_attended=Count("signups", filter=Q(signups__attended=True), distinct=True))
    if when == "upcoming":
        qs = qs.filter(starts_at__gt=now).order_by("starts_at", "id")
    elif when == "past":
        qs = qs.filter(starts_at__lte=now).order_by("-starts_at", "-id")
    else:  # explicit: Meta.ordering does not order an aggregated (GROUP BY) query
        qs = qs.order_by("-starts_at", "-id")
    if user.role == Role.STUDENT:
        student = StudentProfile.objects.filter(user=user).values("pk", "major_id").first()
        if student is None:
            return qs.none()
        through = Lecture.majors.through.objects.filter(lecture_id=OuterRef("pk"))
        qs = qs.filter(~Exists(through) | Exists(through.filter(major_id=student["major_id"])))
        mine = LectureSignup.objects.filter(lecture=OuterRef("pk"), student_id=student["pk"])
        qs = qs.annotate(my_signed_up=Exists(mine.exclude(status=S.CANCELLED)))
    return qs


def lecture_get_for_user(*, user: User, lecture_id: int) -> Lecture:
    """404 for a student whose major the lecture is not for; every other role may read."""
    lecture = get_object_or_404(lectures_for_user(user=user, when="all"), pk=lecture_id)
    return lecture


def signup_for_user(*, user: User, lecture: Lecture) -> LectureSignup | None:
    if user.role != Role.STUDENT:
        return None
    return LectureSignup.objects.filter(lecture=lecture, student__user=user).first()


def waitlist_position(*, signup: LectureSignup) -> int | None:
    if signup.status != S.WAITLISTED:
        return None
    return LectureSignup.objects.filter(lecture_id=signup.lecture_id, status=S.WAITLISTED).filter(
        Q(signed_up_at__lt=signup.signed_up_at) | Q(signed_up_at=signup.signed_up_at, id__lt=signup.id)).count() + 1


def lecture_roster(*, lecture: Lecture) -> list[LectureSignup]:
    """Confirmed, then waitlisted, then cancelled; each in sign-up order (one query)."""
    order = {S.CONFIRMED: 0, S.WAITLISTED: 1, S.CANCELLED: 2}
    rows = list(LectureSignup.objects.filter(lecture=lecture).select_related("student__user", "student__school_class"))
    return sorted(rows, key=lambda s: (order[s.status], s.signed_up_at, s.pk))


def lectures_for_panel(*, user: User, limit: int = 3) -> list[Lecture]:
    return list(lectures_for_user(user=user, when="upcoming")[:limit])
