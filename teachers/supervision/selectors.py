"""Reads for quality co-supervision, scoped per user."""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User

from ..models import Course, CourseOffering, Enrolment, Term
from .models import CourseFeedback, Observation, RectificationTask, SupervisionPlan


def plans_for_user(*, user: User) -> QuerySet[SupervisionPlan]:
    qs = SupervisionPlan.objects.select_related("term").annotate(
        n_observations=Count("observations", distinct=True),
        n_open=Count("findings", filter=~Q(findings__task__status=RectificationTask.Status.CLOSED), distinct=True),
        n_closed=Count("findings", filter=Q(findings__task__status=RectificationTask.Status.CLOSED), distinct=True))
    if user.role == Role.SCHOOL_ADMIN:
        return qs
    return qs.filter(pk__in=SupervisionPlan.objects.filter(supervisors=user).values("pk"))


def plan_get_for_user(*, user: User, plan_id: int) -> SupervisionPlan:
    plan = get_object_or_404(SupervisionPlan.objects.select_related("term"), pk=plan_id)
    if user.role == Role.SCHOOL_ADMIN or plan.supervisors.filter(pk=user.pk).exists():
        return plan
    raise Http404  # not theirs answers as missing: no existence oracle on ids


def tasks_for_user(*, user: User) -> QuerySet[RectificationTask]:
    """Tasks the user owns, filed, or supervises (administrators: all)."""
    qs = RectificationTask.objects.select_related("finding__offering__course", "finding__offering__school_class",
                                                  "finding__filed_by", "owner", "finding__plan")
    if user.role == Role.SCHOOL_ADMIN:
        return qs
    return qs.filter(Q(owner=user) | Q(finding__filed_by=user) | Q(finding__plan__supervisors=user)).distinct()


def task_get_for_user(*, user: User, task_id: int) -> RectificationTask:
    task = get_object_or_404(RectificationTask.objects.select_related(
        "finding__offering__course", "finding__offering__school_class", "finding__offering__term",
        "finding__plan", "finding__filed_by", "finding__observation", "owner"), pk=task_id)
    if (user.role == Role.SCHOOL_ADMIN or task.owner_id == user.pk or task.finding.filed_by_id == user.pk
            or task.finding.plan.supervisors.filter(pk=user.pk).exists()):
        return task
    raise Http404  # not theirs answers as missing: no existence oracle on ids


def plan_offerings(*, plan: SupervisionPlan) -> QuerySet[CourseOffering]:
    return (CourseOffering.objects.filter(term=plan.term).select_related("course", "school_class", "teacher")
            .annotate(feedback_avg=Avg("feedback__rating"), feedback_n=Count("feedback", distinct=True))
            .order_by("course__code", "school_class__code"))


def course_quality_trend(*, course: Course) -> list[dict]:
    """Per term: mean observation score (0–100), observations, mean student rating (1–5 → 0–100),
    responses, findings filed and still open. Aggregated in SQL, one row per term."""
    terms = {t.pk: t for t in Term.objects.filter(offerings__course=course).distinct()}
    obs = {r["offering__term"]: r for r in Observation.objects.filter(offering__course=course)
           .values("offering__term").annotate(avg=Avg("total"), n=Count("id"))}
    fb = {r["offering__term"]: r for r in CourseFeedback.objects.filter(offering__course=course)
          .values("offering__term").annotate(avg=Avg("rating"), n=Count("id"))}
    findings = {}
    for r in (RectificationTask.objects.filter(finding__offering__course=course)
              .values("finding__offering__term")
              .annotate(n=Count("id"), open=Count("id", filter=~Q(status=RectificationTask.Status.CLOSED)))):
        findings[r["finding__offering__term"]] = r
    rows = []
    for term in sorted(terms.values(), key=lambda t: (t.start_year, t.number)):
        o, f, k = obs.get(term.pk), fb.get(term.pk), findings.get(term.pk)
        rows.append({
            "term": term.code,
            "observation": round(float(o["avg"]), 1) if o else None, "observations": o["n"] if o else 0,
            "feedback": round((float(f["avg"]) - 1) / 4 * 100, 1) if f else None,
            "rating": round(float(f["avg"]), 2) if f else None, "responses": f["n"] if f else 0,
            "findings": k["n"] if k else 0, "open": k["open"] if k else 0,
        })
    return rows


def feedback_offerings_for_student(*, user: User) -> list[CourseOffering]:
    """The student's offerings with their own feedback, if any (two queries)."""
    offerings = list(CourseOffering.objects.filter(
        pk__in=Enrolment.objects.filter(student=user).values("offering_id")).select_related(
        "course", "term", "teacher").order_by("-term__start_year", "-term__number", "course__code"))
    mine = {f.offering_id: f for f in CourseFeedback.objects.filter(student=user)}
    for o in offerings:
        o.my_feedback = mine.get(o.pk)
    return offerings
