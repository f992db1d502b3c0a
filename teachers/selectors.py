"""Reads for the curriculum and gradebooks, scoped per user."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User

from . import roster
from .models import CourseOffering, Enrolment, GradeChange, SchoolClass, Term


def offerings_for_teacher(*, user: User) -> QuerySet[CourseOffering]:
    qs = CourseOffering.objects.select_related("course", "term", "school_class", "teacher")
    if user.role != Role.SCHOOL_ADMIN:
        qs = qs.filter(teacher=user)
    return qs.annotate(
        enrolled=Count("enrolments"), graded=Count("enrolments", filter=Q(enrolments__score__isnull=False))
    )


def offering_get_for_user(*, user: User, offering_id: int) -> CourseOffering:
    """The offering if the user teaches it (or is a school administrator); 404/403 otherwise."""
    offering = get_object_or_404(
        CourseOffering.objects.select_related("course", "term", "school_class", "teacher"), pk=offering_id
    )
    if user.role == Role.SCHOOL_ADMIN or (user.role == Role.TEACHER and offering.teacher_id == user.pk):
        return offering
    raise Http404  # not theirs answers as missing: no existence oracle on ids


def gradebook_rows(*, offering: CourseOffering) -> list[Enrolment]:
    """The offering's enrolments by student number, each with `student_number` from the roster."""
    rows = list(Enrolment.objects.filter(offering=offering).select_related("student", "graded_by"))
    numbers = roster.student_numbers(user_ids=[row.student_id for row in rows])
    for row in rows:
        row.student_number = numbers.get(row.student_id, "")
    rows.sort(key=lambda row: (row.student_number == "", row.student_number, row.student.username))
    return rows


def grade_changes_for_offering(*, offering: CourseOffering, limit: int = 200) -> list[GradeChange]:
    changes = list(GradeChange.objects.filter(enrolment__offering=offering)
                   .select_related("enrolment__student", "changed_by").order_by("-changed_at", "-id")[:limit])
    numbers = roster.student_numbers(user_ids={change.enrolment.student_id for change in changes})
    for change in changes:
        change.student_number = numbers.get(change.enrolment.student_id, "")
    return changes


def class_ids_for_teacher(*, user: User) -> set[int]:
    """Classes a teacher heads or teaches an offering to."""
    if user.role != Role.TEACHER:
        return set()
    headed = set(SchoolClass.objects.filter(head_teacher=user).values_list("pk", flat=True))
    taught = set(CourseOffering.objects.filter(teacher=user).order_by().values_list("school_class_id", flat=True).distinct())
    return headed | taught


def classes_for_user(*, user: User) -> list[SchoolClass]:
    """The classes a user may look at (school admins: all), each with its `size` from the roster."""
    qs = SchoolClass.objects.select_related("major", "head_teacher")
    if user.role != Role.SCHOOL_ADMIN:
        qs = qs.filter(pk__in=class_ids_for_teacher(user=user))
    classes = list(qs)
    sizes = roster.class_sizes(class_ids=[c.pk for c in classes])
    for school_class in classes:
        school_class.size = sizes.get(school_class.pk, 0)
    return classes


def user_can_view_class(*, user: User, school_class_id: int) -> bool:
    if user.role == Role.SCHOOL_ADMIN:
        return True
    if user.role != Role.TEACHER:
        return False
    return (
        SchoolClass.objects.filter(pk=school_class_id, head_teacher=user).exists()
        or CourseOffering.objects.filter(school_class_id=school_class_id, teacher=user).exists()
    )


def term_current(*, today: datetime.date | None = None) -> Term | None:
    """The term that today falls in; between terms (holidays) the last one that started."""
    today = today or timezone.localdate()
    return (Term.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
            or Term.objects.filter(starts_on__lte=today).order_by("-starts_on").first())
