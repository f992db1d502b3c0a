"""Reads for the curriculum and gradebooks, scoped per user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, User

from .models import CourseOffering, Enrolment, GradeChange, SchoolClass


def offerings_for_teacher(*, user: User) -> QuerySet[CourseOffering]:
    qs = CourseOffering.objects.select_related("course", "term", "school_class", "teacher")
    if user.role != Role.SCHOOL_ADMIN:
        qs = qs.filter(teacher=user)
    return qs.annotate(
        students=Count("enrolments"), graded=Count("enrolments", filter=Q(enrolments__score__isnull=False))
    )


def offering_get_for_user(*, user: User, offering_id: int) -> CourseOffering:
    """The offering if the user teaches it (or is a school administrator); 404/403 otherwise."""
    offering = get_object_or_404(
        CourseOffering.objects.select_related("course", "term", "school_class", "teacher"), pk=offering_id
    )
    if user.role == Role.SCHOOL_ADMIN or (user.role == Role.TEACHER and offering.teacher_id == user.pk):
        return offering
    raise PermissionDenied


def gradebook_rows(*, offering: CourseOffering) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(offering=offering)
        .select_related("student__student_profile", "graded_by")
        .order_by("student__student_profile__student_number", "student__username")
    )


def grade_changes_for_offering(*, offering: CourseOffering, limit: int = 200) -> QuerySet[GradeChange]:
    return (
        GradeChange.objects.filter(enrolment__offering=offering)
        .select_related("enrolment__student__student_profile", "changed_by")
        .order_by("-changed_at", "-id")[:limit]
    )


def class_ids_for_teacher(*, user: User) -> set[int]:
    """Classes a teacher heads or teaches an offering to."""
    if user.role != Role.TEACHER:
        return set()
    headed = set(SchoolClass.objects.filter(head_teacher=user).values_list("pk", flat=True))
    taught = set(CourseOffering.objects.filter(teacher=user).order_by().values_list("school_class_id", flat=True).distinct())
    return headed | taught


def classes_for_user(*, user: User) -> QuerySet[SchoolClass]:
    qs = SchoolClass.objects.select_related("major", "head_teacher").annotate(size=Count("students"))
    if user.role == Role.SCHOOL_ADMIN:
        return qs
    return qs.filter(pk__in=class_ids_for_teacher(user=user))


def user_can_view_class(*, user: User, school_class_id: int) -> bool:
    if user.role == Role.SCHOOL_ADMIN:
        return True
    if user.role != Role.TEACHER:
        return False
    return (
        SchoolClass.objects.filter(pk=school_class_id, head_teacher=user).exists()
        or CourseOffering.objects.filter(school_class_id=school_class_id, teacher=user).exists()
    )
