"""Reads of the internships, scoped to the reader. Who sees a placement: the intern, its
mentor and tutor, the managers of its organisation, the head teacher of the intern's
class and school administrators; anyone else gets 404 (its existence is not revealed).
The desks answer in a constant number of queries whatever the number of interns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, Role, User

from .models import CheckIn, IntegrityFlag, LeaveRequest, Placement, WeeklyLog

VIEWER_ROLES = (Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.SCHOOL_ADMIN)
DESK_ROLES = (Role.TEACHER, Role.ENTERPRISE, Role.SCHOOL_ADMIN)
ASSIGN_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)


def placements_visible_to(*, user: User) -> QuerySet[Placement]:
    qs = Placement.objects.all()
    if user.role == Role.SCHOOL_ADMIN:
        return qs
    if user.role == Role.STUDENT:
        return qs.filter(student__user=user)
    if user.role == Role.TEACHER:
        return qs.filter(Q(tutor=user) | Q(student__school_class__head_teacher=user))
    if user.role == Role.ENTERPRISE:
        managed = Membership.objects.filter(user=user, is_manager=True).values("organization_id")
        return qs.filter(Q(mentor=user) | Q(organization_id__in=managed))
    return qs.none()


def placements_supervised_by(*, user: User) -> QuerySet[Placement]:
    """The interns on the reader's desk: a tutor's or a mentor's own; everything for
    school administrators."""
    if user.role == Role.SCHOOL_ADMIN:
        return Placement.objects.all()
    if user.role == Role.TEACHER:
        return Placement.objects.filter(tutor=user)
    if user.role == Role.ENTERPRISE:
        return Placement.objects.filter(mentor=user)
    return Placement.objects.none()


def placement_get_for_user(*, user: User, placement_id: int) -> Placement:
    placement = (placements_visible_to(user=user).select_related(
        "student__user", "student__school_class", "organization", "mentor", "tutor")
        .filter(pk=placement_id).first())
    if placement is None:
        raise Http404
    return placement


def log_get_for_user(*, user: User, log_id: int) -> WeeklyLog:
    log = (WeeklyLog.objects.select_related("placement__student__user", "placement__organization",
                                            "placement__mentor", "placement__tutor")
           .filter(pk=log_id, placement__in=placements_visible_to(user=user)).first())
    if log is None:
        raise Http404
    return log


def can_see_flags(*, user: User, placement: Placement) -> bool:
    """Integrity flags are for the school: the tutor, the head teacher, school administrators."""
    return user.role in (Role.TEACHER, Role.SCHOOL_ADMIN)


def _count(qs: QuerySet) -> Subquery:
    return Coalesce(Subquery(qs.order_by().values("placement_id").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def desk_queryset(*, user: User, today: datetime.date | None = None) -> QuerySet[Placement]:
    """The reader's open placements annotated for the desk, interns needing attention first."""
    today = today or timezone.localdate()
    party = "mentor" if user.role == Role.ENTERPRISE else "tutor"
    pending = WeeklyLog.objects.filter(placement=OuterRef("pk"), status=WeeklyLog.Status.SUBMITTED,
                                       **{f"{party}_reviewed_at__isnull": True})
    if user.role == Role.SCHOOL_ADMIN:
        pending = WeeklyLog.objects.filter(placement=OuterRef("pk"), status=WeeklyLog.Status.SUBMITTED)
    return (placements_supervised_by(user=user).filter(status=Placement.Status.ACTIVE)
            .select_related("student__user", "student__school_class", "organization")
            .annotate(
                checked_in_today=Exists(CheckIn.objects.filter(placement=OuterRef("pk"), day=today)),
                log_this_week=Exists(WeeklyLog.objects.filter(placement=OuterRef("pk"), due_on__gte=today,
                                                              due_on__lte=today + datetime.timedelta(days=6))),
                logs_past_due=_count(WeeklyLog.objects.filter(placement=OuterRef("pk"), due_on__lt=today)),
                open_flags=_count(IntegrityFlag.objects.filter(placement=OuterRef("pk"), dismissed_at__isnull=True)),
                pending_reviews=_count(pending),
                pending_leave=_count(LeaveRequest.objects.filter(placement=OuterRef("pk"),
                                                                 status=LeaveRequest.Status.PENDING)),
            )
            .order_by("checked_in_today", "-open_flags", "-pending_reviews", "student__student_number"))


@dataclass
class DeskRow:
    placement: Placement
    checked_in_today: bool
    log_this_week: bool
    missing_logs: int
    open_flags: int
    pending_reviews: int
    pending_leave: int


def weeks_past_due(placement: Placement, today: datetime.date) -> int:
    """How many of the placement's weeks had their log due before today."""
    last = min(today - datetime.timedelta(days=1), placement.ends_on)
    if last < placement.starts_on:
        return 0
    count = placement.week_of(last)
    if placement.week_due(count) > last:
        count -= 1
    return max(0, count)


def desk_rows(placements, today: datetime.date) -> list[DeskRow]:
    return [DeskRow(placement=p, checked_in_today=p.checked_in_today, log_this_week=p.log_this_week,
                    missing_logs=max(0, weeks_past_due(p, today) - p.logs_past_due), open_flags=p.open_flags,
                    pending_reviews=p.pending_reviews, pending_leave=p.pending_leave) for p in placements]


def desk_overview(*, user: User, today: datetime.date | None = None) -> tuple[list[int], dict]:
    """Every desk intern's id in the desk's order (no check-in today first, then most
    flags, most logs to review) and the counters, from five narrow queries (one indexed
    pass over each table, grouped by placement); the page's rows are then annotated in
    full for its 50 interns only (`desk_page`). The number of queries does not grow."""
    today = today or timezone.localdate()
    placements = placements_supervised_by(user=user).filter(status=Placement.Status.ACTIVE)
    people = list(placements.order_by().values_list("pk", "student__student_number"))
    mine = placements.values("pk")
    checked = set(CheckIn.objects.filter(placement__in=mine, day=today).values_list("placement_id", flat=True))
    logged = set(WeeklyLog.objects.filter(placement__in=mine, due_on__gte=today,
                                          due_on__lte=today + datetime.timedelta(days=6))
                 .values_list("placement_id", flat=True))
    flags = dict(IntegrityFlag.objects.filter(placement__in=mine, dismissed_at__isnull=True).order_by()
                 .values("placement_id").annotate(n=Count("pk")).values_list("placement_id", "n"))
    pending_filter = {} if user.role == Role.SCHOOL_ADMIN else {
        f"{'mentor' if user.role == Role.ENTERPRISE else 'tutor'}_reviewed_at__isnull": True}
    pending = dict(WeeklyLog.objects.filter(placement__in=mine, status=WeeklyLog.Status.SUBMITTED, **pending_filter)
                   .order_by().values("placement_id").annotate(n=Count("pk")).values_list("placement_id", "n"))
    totals = {"interns": len(people), "no_checkin": sum(1 for pk, _n in people if pk not in checked),
              "no_log_this_week": sum(1 for pk, _n in people if pk not in logged),
              "with_flags": sum(1 for pk, _n in people if flags.get(pk)),
              "with_pending": sum(1 for pk, _n in people if pending.get(pk))}
    people.sort(key=lambda r: (r[0] in checked, -flags.get(r[0], 0), -pending.get(r[0], 0), r[1]))
    return [pk for pk, _n in people], totals


def desk_page(*, user: User, ids: list[int], today: datetime.date | None = None) -> list[Placement]:
    by_id = {p.pk: p for p in desk_queryset(user=user, today=today).filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def desk_totals(*, user: User, today: datetime.date | None = None) -> dict:
    """The counters at the top of the desk (and on the home panel)."""
    return desk_overview(user=user, today=today)[1]


def logs_pending_review(*, user: User) -> QuerySet[WeeklyLog]:
    party = "mentor" if user.role == Role.ENTERPRISE else "tutor"
    return (WeeklyLog.objects.filter(placement__in=placements_supervised_by(user=user).exclude(
        status=Placement.Status.TERMINATED), status=WeeklyLog.Status.SUBMITTED,
        **{f"{party}_reviewed_at__isnull": True})
        .select_related("placement__student__user", "placement__organization")
        .order_by("submitted_at", "id"))


def placement_detail(*, user: User, placement: Placement) -> dict:
    """What the placement's page shows to this reader."""
    today = timezone.localdate()
    logs = list(placement.logs.order_by("-week").prefetch_related("photos"))
    by_week = {log.week: log for log in logs}
    last_week = min(placement.week_of(min(today, placement.ends_on)), placement.weeks) \
        if today >= placement.starts_on else 0
    weeks = [{"week": w, "starts": placement.week_starts(w), "due": placement.week_due(w), "log": by_week.get(w),
              "missing": w not in by_week and placement.week_due(w) < today}
             for w in range(last_week, 0, -1)]
    flags = []
    if can_see_flags(user=user, placement=placement):
        flags = list(placement.flags.filter(dismissed_at__isnull=True).select_related(
            "log", "other_log", "other_placement__student__user", "checkin", "other_checkin"))
    return {
        "placement": placement, "posts": list(placement.posts.all()),
        "checkins": list(placement.checkins.all()[:14]),
        "checked_in_today": placement.checkins.filter(day=today).exists(),
        "weeks": weeks, "flags": flags,
        "thread": list(placement.messages.select_related("author")),
        "leaves": list(placement.leaves.all()),
        "summary": getattr(placement, "summary", None) if hasattr(placement, "summary") else None,
        "today": today,
    }


def log_flags(*, user: User, log: WeeklyLog) -> list[IntegrityFlag]:
    if not can_see_flags(user=user, placement=log.placement):
        return []
    return list(IntegrityFlag.objects.filter(log=log, dismissed_at__isnull=True)
                .select_related("other_log__placement__student__user"))


def practice_bases_for_user(*, user: User) -> QuerySet:
    """Organisations a class may be assigned to: those with a cooperation agreement."""
    from accounts.models import Organization

    return (Organization.objects.filter(kind=Organization.Kind.ENTERPRISE,
                                        enterprise_profile__isnull=False)
            .exclude(enterprise_profile__cooperation_level="none").order_by("name"))
