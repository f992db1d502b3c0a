"""Who is whose student: the profile behind an account or a student number, scoped per user."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from teachers.models import SchoolClass
from teachers.selectors import class_ids_for_teacher, user_can_view_class

from .models import StudentProfile


def student_profile_for_user(*, user: User) -> StudentProfile:
    """The signed-in student's own profile (404 when the account has none yet). Kept on
    the user object for the request, so a page that needs it several times reads it once."""
    profile = getattr(user, "_student_profile", None)
    if profile is None:
        profile = StudentProfile.objects.select_related("major", "school_class").filter(user=user).first()
        if profile is None:
            raise Http404("No student profile.")
        profile.user = user  # already loaded: no query when the profile's user is read
        user._student_profile = profile
    return profile


def student_visibility_for(*, user: User) -> Callable[[int, int], bool]:
    """The one rule for whose records (radar, attainment values) a user may see, as a
    predicate over (the student's user id, their class id), for many students at once
    (a rankings page). Students: only themselves. Teachers: students of classes they
    head or teach. School administrators: everyone. Enterprises and industry masters:
    nobody — grades are academic records; students share their radar with employers
    through the resume."""
    if user.role == Role.SCHOOL_ADMIN:
        return lambda user_id, class_id: True
    if user.role == Role.TEACHER:
        classes = class_ids_for_teacher(user=user)
        return lambda user_id, class_id: class_id in classes
    if user.role == Role.STUDENT:
        return lambda user_id, class_id: user_id == user.pk
    return lambda user_id, class_id: False


def user_can_view_student(*, user: User, student: StudentProfile) -> bool:
    """`student_visibility_for` for one student."""
    if user.role == Role.STUDENT:
        return student.user_id == user.pk
    if user.role == Role.TEACHER:
        return user_can_view_class(user=user, school_class_id=student.school_class_id)
    return user.role == Role.SCHOOL_ADMIN


def student_get_for_user(*, user: User, student_number: str) -> StudentProfile:
    """The profile behind a student number, if the user may see it. 404 both when there is
    no such student and when it is not theirs to see: a different answer would tell anyone
    which student numbers exist (an existence oracle)."""
    student = get_object_or_404(
        StudentProfile.objects.select_related("major", "school_class", "user"), student_number=student_number
    )
    if not user_can_view_student(user=user, student=student):
        raise Http404
    return student


def school_class_get_for_user(*, user: User, class_id: int) -> SchoolClass:
    """A class the user may see; 404 for one that is not theirs, as for one that does not exist."""
    school_class = get_object_or_404(SchoolClass.objects.select_related("major", "head_teacher"), pk=class_id)
    if not user_can_view_class(user=user, school_class_id=class_id):
        raise Http404
    return school_class
