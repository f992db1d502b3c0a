"""Reads for the students app, scoped per user. Radar reads live in students.radar."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from teachers.models import SchoolClass
from teachers.selectors import user_can_view_class

from .models import StudentProfile


def student_profile_for_user(*, user: User) -> StudentProfile:
    profile = StudentProfile.objects.select_related("major", "school_class", "user").filter(user=user).first()
    if profile is None:
        raise Http404("No student profile.")
    return profile


def user_can_view_student(*, user: User, student: StudentProfile) -> bool:
    """Students: only themselves. Teachers: students of classes they head or teach.
    School administrators: everyone. Enterprises and industry masters: nobody — grades
    are academic records; students share their radar with employers through the resume."""
    if user.role == Role.STUDENT:
        return student.user_id == user.pk
    if user.role == Role.TEACHER:
        return user_can_view_class(user=user, school_class_id=student.school_class_id)
    return user.role == Role.SCHOOL_ADMIN


def student_get_for_user(*, user: User, student_number: str) -> StudentProfile:
    """The profile behind a student number, if the user may see it: 404 when there is no
    such student, 403 when it is not theirs to see."""
    student = get_object_or_404(
        StudentProfile.objects.select_related("major", "school_class", "user"), student_number=student_number
    )
    if not user_can_view_student(user=user, student=student):
        raise PermissionDenied
    return student


def school_class_get_for_user(*, user: User, class_id: int) -> SchoolClass:
    school_class = get_object_or_404(SchoolClass.objects.select_related("major", "head_teacher"), pk=class_id)
    if not user_can_view_class(user=user, school_class_id=class_id):
        raise PermissionDenied
    return school_class


# The students app's public read API for higher apps (enterprises, projects,
# evaluations, deepfake, admin_portal): import these names from here, never from the
# feature modules, so that the students app can reorganise its insides freely.
from .radar import Radar, attainments_for_students, cohort_average, radar_for_student  # noqa: E402

__all__ = [
    "Radar",
    "attainments_for_students",
    "cohort_average",
    "radar_for_student",
    "school_class_get_for_user",
    "student_get_for_user",
    "student_profile_for_user",
    "user_can_view_student",
]
