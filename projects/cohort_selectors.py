"""Reads for selection rounds, order classes and graduation design, scoped per user."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from students.models import StudentProfile

from .models import (
    GraduationDesign,
    GraduationStageGrade,
    GraduationSubmission,
    GraduationTopic,
    OrderClass,
    OrderClassMember,
    SelectionApplication,
    SelectionOption,
    SelectionOutcome,
    SelectionRound,
)
from .permissions import enterprise_ids_for_user
from .selection import user_owns_option

# --- Selection rounds -----------------------------------------------------------------


def _owned_option_filter(user: User) -> Q:
    return (Q(order_class__enterprise_id__in=enterprise_ids_for_user(user))
            | Q(topic__school_tutor=user) | Q(topic__enterprise_tutor=user))


def round_list_for_user(*, user: User) -> QuerySet[SelectionRound]:
    qs = SelectionRound.objects.select_related("major").annotate(
        option_count=Count("options", distinct=True), applicant_count=Count("applications__student", distinct=True))
    if user.role == Role.SCHOOL_ADMIN:
        return qs.order_by("-created_at", "-id")
    if user.role == Role.STUDENT:
        profile = StudentProfile.objects.filter(user=user).only("major_id", "intake_year").first()
        if profile is None:
            return qs.none()
        return qs.filter(major_id=profile.major_id, intake_year=profile.intake_year).order_by("-created_at", "-id")
    owned = SelectionOption.objects.filter(_owned_option_filter(user)).values("round_id")
    return qs.filter(pk__in=owned).order_by("-created_at", "-id")


def round_get_for_user(*, user: User, round_id: int) -> SelectionRound:
    selection_round = round_list_for_user(user=user).filter(pk=round_id).first()
    if selection_round is None:
        raise Http404
    return selection_round


def round_options(*, selection_round: SelectionRound) -> list[SelectionOption]:
    return list(selection_round.options.select_related("order_class__enterprise", "topic__school_tutor",
                                                       "topic__enterprise_tutor", "topic__enterprise")
                .annotate(applicant_count=Count("applications")).order_by("id"))


def admitted_counts(*, selection_round: SelectionRound) -> dict[int, int]:
    return dict(SelectionOutcome.objects.filter(round=selection_round, option__isnull=False)
                .values_list("option_id").annotate(n=Count("id")).values_list("option_id", "n"))


def owned_options(*, user: User, selection_round: SelectionRound) -> list[SelectionOption]:
    return [o for o in round_options(selection_round=selection_round) if user_owns_option(user=user, option=o)]


def option_get_for_user(*, user: User, option_id: int) -> SelectionOption:
    option = get_object_or_404(SelectionOption.objects.select_related("round", "order_class", "topic"), pk=option_id)
    if not user_owns_option(user=user, option=option):
        raise Http404
    return option


def option_applicants(*, option: SelectionOption) -> QuerySet[SelectionApplication]:
    return (SelectionApplication.objects.filter(option=option).select_related("student__user", "student__school_class")
            .order_by("option_rank", "student__student_number"))


def applications_of_student(*, user: User, selection_round: SelectionRound) -> QuerySet[SelectionApplication]:
    return (SelectionApplication.objects.filter(round=selection_round, student__user=user)
            .select_related("option__order_class", "option__topic").order_by("student_rank"))


def outcome_for_student(*, user: User, selection_round: SelectionRound) -> dict | None:
    """The student's result with the reasons, the options resolved to their titles."""
    outcome = (SelectionOutcome.objects.filter(round=selection_round, student__user=user)
               .select_related("option__order_class", "option__topic").first())
    if outcome is None:
        return None
    options = {o.pk: o for o in round_options(selection_round=selection_round)}
    reasons = [dict(r, option_title=str(options[r["option"]].target.display_title) if r["option"] in options else "")
               for r in outcome.explanation]
    return {"outcome": outcome, "option": outcome.option, "choice_rank": outcome.choice_rank, "reasons": reasons}


def round_api_body(*, selection_round: SelectionRound) -> dict:
    """GET /api/v1/selection-rounds/<id>/: the engine's inputs and the stored assignment."""
    from .selection import selection_round_inputs

    data = selection_round_inputs(selection_round=selection_round)
    stored = dict(SelectionOutcome.objects.filter(round=selection_round)
                  .values_list("student__student_number", "option_id"))
    return {
        "capacities": {str(k): v for k, v in data["capacities"].items()},
        "student_preferences": {number: [str(o) for o in prefs]
                                for number, prefs in data["student_preferences"].items()},
        "option_preferences": {str(k): v for k, v in data["option_preferences"].items()},
        "assignment": {number: (str(stored[number]) if stored.get(number) else None)
                       for number in data["student_preferences"]},
    }


# --- Order classes -----------------------------------------------------------------------


def order_class_list_for_user(*, user: User) -> QuerySet[OrderClass]:
    qs = OrderClass.objects.select_related("enterprise", "major").annotate(member_count=Count("members"))
    if user.role == Role.ENTERPRISE:
        qs = qs.filter(enterprise_id__in=enterprise_ids_for_user(user))
    return qs.order_by("-intake_year", "title", "id")


def order_class_get_for_user(*, user: User, order_class_id: int) -> OrderClass:
    return get_object_or_404(order_class_list_for_user(user=user).prefetch_related("courses", "mentors"),
                             pk=order_class_id)


def user_sees_order_class_members(*, user: User, order_class: OrderClass) -> bool:
    return user.role in (Role.SCHOOL_ADMIN, Role.TEACHER) or order_class.enterprise_id in enterprise_ids_for_user(user)


def order_class_members(*, order_class: OrderClass) -> QuerySet[OrderClassMember]:
    return order_class.members.select_related("student__user", "student__school_class").order_by(
        "student__student_number")


def order_class_of_student(*, student: StudentProfile) -> OrderClass | None:
    """For grading and dashboards: the order class a student belongs to."""
    member = OrderClassMember.objects.filter(student=student).select_related("order_class__enterprise").first()
    return member.order_class if member else None


# --- Graduation design -----------------------------------------------------------------------


def topic_list_for_user(*, user: User) -> QuerySet[GraduationTopic]:
    qs = GraduationTopic.objects.select_related("major", "school_tutor", "enterprise_tutor", "enterprise",
                                                "source_project").annotate(design_count=Count("designs"))
    if user.role == Role.SCHOOL_ADMIN:
        return qs
    approved = Q(status=GraduationTopic.Status.APPROVED)
    if user.role == Role.TEACHER:
        return qs.filter(approved | Q(school_tutor=user) | Q(proposed_by=user))
    if user.role == Role.ENTERPRISE:
        return qs.filter(Q(enterprise_id__in=enterprise_ids_for_user(user)) | Q(enterprise_tutor=user))
    return qs.filter(approved)


def topic_get_for_user(*, user: User, topic_id: int) -> GraduationTopic:
    return get_object_or_404(topic_list_for_user(user=user), pk=topic_id)


def _design_qs() -> QuerySet[GraduationDesign]:
    return GraduationDesign.objects.select_related(
        "topic__school_tutor", "topic__enterprise_tutor", "topic__course", "student__user").prefetch_related(
        Prefetch("stage_grades", queryset=GraduationStageGrade.objects.order_by("stage", "grader")),
        Prefetch("submissions", queryset=GraduationSubmission.objects.order_by("-created_at", "-id")))


def designs_for_user(*, user: User) -> QuerySet[GraduationDesign]:
    qs = _design_qs()
    if user.role == Role.SCHOOL_ADMIN:
        return qs.order_by("topic__title", "student__student_number")
    if user.role == Role.STUDENT:
        return qs.filter(student__user=user)
    return qs.filter(Q(topic__school_tutor=user) | Q(topic__enterprise_tutor=user)).order_by(
        "topic__title", "student__student_number")


def design_get_for_user(*, user: User, design_id: int) -> GraduationDesign:
    return get_object_or_404(designs_for_user(user=user), pk=design_id)


def graduation_submission_get_for_user(*, user: User, submission_id: int) -> GraduationSubmission:
    submission = get_object_or_404(GraduationSubmission, pk=submission_id)
    design_get_for_user(user=user, design_id=submission.design_id)
    return submission
