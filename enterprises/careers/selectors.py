"""Reads of careers after graduation: who sees which destinations and feedback, and the
aggregations (in SQL) that the dashboards and the demand-vs-supply analysis use."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, User
from students.models import StudentProfile

from .models import PROGRAM_YEARS, WORKING_CATEGORIES, Destination, EmployerFeedback, FeedbackRating, SurveyRound


def graduate_or_none(*, user: User) -> StudentProfile | None:
    student = StudentProfile.objects.filter(user=user).first() if user.role == Role.STUDENT else None
    return student if student is not None and student.status == StudentProfile.Status.GRADUATED else None


def graduate_for_user(*, user: User) -> StudentProfile:
    student = graduate_or_none(user=user)
    if student is None:
        raise PermissionDenied("Only graduates answer the careers survey.")
    return student


def survey_rounds_for_graduate(*, student: StudentProfile) -> list[SurveyRound]:
    """The rounds of the graduate's class that have opened, newest first."""
    return list(SurveyRound.objects.filter(graduation_year=student.intake_year + PROGRAM_YEARS,
                                           opens_on__lte=timezone.localdate()).order_by("-opens_on"))


def survey_round_for_graduate(*, student: StudentProfile, round_id: int) -> SurveyRound:
    survey_round = SurveyRound.objects.filter(pk=round_id).first()
    if survey_round is None or survey_round.graduation_year != student.intake_year + PROGRAM_YEARS \
            or survey_round.opens_on > timezone.localdate():
        raise Http404
    return survey_round


def destinations_for_user(*, user: User, graduation_year: int | None = None) -> QuerySet[Destination]:
    """School administrators: all; a graduate: their own; everyone else: none."""
    qs = Destination.objects.select_related("student__user", "survey_round", "major").order_by(
        "-graduation_year", "student__student_number", "survey_round__opens_on")
    if user.role == Role.SCHOOL_ADMIN:
        pass
    elif user.role == Role.STUDENT:
        qs = qs.filter(student__user=user)
    else:
        return qs.none()
    if graduation_year is not None:
        qs = qs.filter(graduation_year=graduation_year)
    return qs


def feedback_subjects(*, organization_id: int) -> list[dict]:
    """The students an organisation may rate: its accepted interns and hires (accepted
    offers) and the graduates whose destination names it, with what it already rated."""
    from ..models import Application

    by_student: dict[int, str] = {}
    for sid, kind in Application.objects.filter(posting__organization_id=organization_id,
                                                stage=Application.Stage.ACCEPTED).values_list(
            "student_id", "posting__kind"):
        by_student.setdefault(sid, "intern" if kind == "internship" else "graduate")
    for sid in Destination.objects.filter(employer_id=organization_id, category__in=WORKING_CATEGORIES) \
            .values_list("student_id", flat=True):
        by_student[sid] = "graduate"
    students = StudentProfile.objects.filter(pk__in=by_student).select_related("user", "major").order_by(
        "student_number")
    rated: dict[int, list[int]] = {}
    for sid, rid in EmployerFeedback.objects.filter(organization_id=organization_id).values_list(
            "student_id", "survey_round_id"):
        rated.setdefault(sid, []).append(rid)
    return [{"student": s, "kind": by_student[s.pk], "graduation_year": s.intake_year + PROGRAM_YEARS,
             "rated_rounds": rated.get(s.pk, [])} for s in students]


def feedback_for_user(*, user: User, organization_id: int | None = None) -> QuerySet[EmployerFeedback]:
    """Enterprise staff: their organisation's; school administrators and teachers: all
    (teachers read feedback to adjust teaching); others: none."""
    qs = EmployerFeedback.objects.select_related("student__user", "survey_round", "organization").prefetch_related(
        "ratings__competency").order_by("-created_at", "-id")
    if user.role == Role.ENTERPRISE:
        return qs.filter(organization_id=organization_id) if organization_id else qs.none()
    if user.role in (Role.SCHOOL_ADMIN, Role.TEACHER):
        return qs
    return qs.none()


def feedback_by_competency(*, major_code: str, year: int | None = None) -> dict[str, tuple[float, int]]:
    """{competency code: (mean rating 1–5, number of ratings)} over the major's employer
    feedback (of one year: the calendar year its round opened), one GROUP BY query."""
    qs = FeedbackRating.objects.filter(feedback__major__code=major_code)
    if year is not None:
        qs = qs.filter(feedback__year=year)
    return {code: (float(mean), int(n)) for code, mean, n in
            qs.values("competency__code").annotate(mean=Avg("rating"), n=Count("pk"))
            .values_list("competency__code", "mean", "n")}


def feedback_by_competency_years(*, major_id: int) -> dict[int, dict[int, tuple[float, int]]]:
    """{year: {competency id: (mean, count)}} for the trend, one GROUP BY query."""
    out: dict[int, dict[int, tuple[float, int]]] = {}
    for year, cid, mean, n in (FeedbackRating.objects.filter(feedback__major_id=major_id)
                               .values("feedback__year", "competency_id")
                               .annotate(mean=Avg("rating"), n=Count("pk"))
                               .values_list("feedback__year", "competency_id", "mean", "n")):
        out.setdefault(year, {})[cid] = (float(mean), int(n))
    return out


def destination_summary(*, graduation_year: int, kind: str = "graduation") -> dict:
    """Counts per category of one class's round (for the careers page header)."""
    rows = dict(Destination.objects.filter(graduation_year=graduation_year, survey_round__kind=kind)
                .values("category").annotate(n=Count("pk")).values_list("category", "n"))
    return {"by_category": rows, "total": sum(rows.values()),
            "counterpart": Destination.objects.filter(graduation_year=graduation_year, survey_round__kind=kind,
                                                      counterpart=True).count()}


def graduation_years() -> list[int]:
    """Classes with destinations first (newest first), then classes with only rounds."""
    with_answers = sorted(set(Destination.objects.values_list("graduation_year", flat=True).distinct()), reverse=True)
    rounds_only = sorted(set(SurveyRound.objects.values_list("graduation_year", flat=True)) - set(with_answers),
                         reverse=True)
    return with_answers + rounds_only


