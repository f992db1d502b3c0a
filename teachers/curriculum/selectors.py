"""Reads for courses and programs edited in the site."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User

from ..models import Course, CourseCompetencyWeight, CourseOffering, Program, ProgramCourse
from ..permissions import course_can_edit
from ..reform.models import CourseVersion


def courses_for_user(*, user: User, query: str = "") -> QuerySet[Course]:
    """Administrators: every course; teachers: those they own or teach."""
    qs = Course.objects.select_related("major").prefetch_related("owners").annotate(
        n_programs=Count("program_courses", distinct=True), n_versions=Count("versions", distinct=True))
    if user.role != Role.SCHOOL_ADMIN:
        qs = qs.filter(pk__in=Course.objects.filter(Q(owners=user) | Q(offerings__teacher=user)).values("pk"))
    if query:
        qs = qs.filter(Q(code__icontains=query) | Q(name__icontains=query) | Q(name_en__icontains=query))
    return qs.order_by("code")


def course_get_for_user(*, user: User, course_id: int) -> Course:
    course = get_object_or_404(Course.objects.select_related("major"), pk=course_id)
    if user.role == Role.SCHOOL_ADMIN or course_can_edit(user=user, course=course):
        return course
    if user.role == Role.TEACHER and CourseOffering.objects.filter(course=course, teacher=user).exists():
        return course
    raise Http404  # not theirs answers as missing: no existence oracle on ids


def course_program_rows(*, course: Course) -> list[ProgramCourse]:
    """The course in each program with its weights and the version in force there."""
    rows = list(ProgramCourse.objects.filter(course=course).select_related("program__major")
                .prefetch_related(Prefetch("weights", queryset=CourseCompetencyWeight.objects.select_related(
                    "competency"))).order_by("program__intake_year"))
    versions = list(CourseVersion.objects.filter(course=course).order_by("-number"))
    for row in rows:
        row.version = next((v for v in versions if v.applies_from_intake <= row.program.intake_year), None)
    return rows


def programs_for_user(*, user: User) -> QuerySet[Program]:
    return Program.objects.select_related("major").annotate(
        n_courses=Count("program_courses")).order_by("major__code", "-intake_year")


def program_get_for_user(*, user: User, program_id: int) -> Program:
    if user.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        raise PermissionDenied
    return get_object_or_404(Program.objects.select_related("major"), pk=program_id)


def program_rows(*, program: Program, user: User) -> list[ProgramCourse]:
    rows = list(ProgramCourse.objects.filter(program=program).select_related("course")
                .prefetch_related(Prefetch("weights", queryset=CourseCompetencyWeight.objects.select_related(
                    "competency")), "course__owners").order_by("semester", "course__code"))
    for row in rows:
        row.can_edit = user.role == Role.SCHOOL_ADMIN or any(o.pk == user.pk for o in row.course.owners.all())
    return rows
