"""Reads for lab assignments and reports, scoped per user.

A student sees the assignments of the offerings they are enrolled in and their own reports; a
teacher the assignments of the offerings they teach and every report in them; a school
administrator all (read-only)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import Role

from .models import LabAssignment, LabReport


def assignment_list_for_user(*, user, guide: str | None = None) -> QuerySet[LabAssignment]:
    qs = LabAssignment.objects.select_related("offering__course", "offering__term", "offering__school_class",
                                              "offering__teacher", "component")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.STUDENT:
        qs = qs.filter(offering__enrolments__student=user)
    elif user.role == Role.TEACHER:
        qs = qs.filter(offering__teacher=user)
    elif user.role != Role.SCHOOL_ADMIN:
        return qs.none()
    if guide:
        qs = qs.filter(guide=guide)
    return qs.annotate(
        report_count=Count("reports", distinct=True),
        graded_count=Count("reports", filter=Q(reports__status=LabReport.Status.GRADED), distinct=True),
    ).order_by("-created_at", "-id")


def assignment_get_for_user(*, user, assignment_id: int) -> LabAssignment:
    assignment = assignment_list_for_user(user=user).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404("No such lab assignment.")
    return assignment


def reports_for_assignment(*, user, assignment: LabAssignment) -> list[LabReport]:
    """The teacher and school administrators see every report; a student their own."""
    qs = LabReport.objects.filter(assignment=assignment).select_related("student", "graded_by")
    if user.role == Role.STUDENT:
        qs = qs.filter(student=user)
    return list(qs.order_by("student__username", "id"))


def own_report(*, user, assignment: LabAssignment) -> LabReport | None:
    return LabReport.objects.filter(assignment=assignment, student=user).first()


def report_get_for_user(*, user, report_id: int) -> LabReport:
    report = (LabReport.objects.select_related("assignment__offering", "assignment__component", "student")
              .filter(pk=report_id).first())
    if report is None:
        raise Http404("No such lab report.")
    if user.role == Role.STUDENT and report.student_id != user.pk:
        raise Http404("No such lab report.")
    if user.role in (Role.TEACHER, Role.SCHOOL_ADMIN):
        assignment_get_for_user(user=user, assignment_id=report.assignment_id)
    elif user.role != Role.STUDENT:
        raise Http404("No such lab report.")
    return report


def reports_to_grade(*, user, limit: int = 5) -> list[LabReport]:
    if user.role != Role.TEACHER:
        return []
    return list(LabReport.objects.filter(assignment__offering__teacher=user, status=LabReport.Status.SUBMITTED)
                .select_related("student", "assignment").order_by("submitted_at", "id")[:limit])


def pending_for_student(*, user, limit: int = 5) -> list[LabAssignment]:
    """The student's assignments, each with ``my_report`` (or None): without a report first."""
    assignments = list(assignment_list_for_user(user=user)[:20])
    reports = {r.assignment_id: r for r in LabReport.objects.filter(student=user, assignment__in=assignments)}
    for assignment in assignments:
        assignment.my_report = reports.get(assignment.pk)
    assignments.sort(key=lambda a: (a.my_report is not None, a.due_at is None, a.due_at or a.created_at))
    return assignments[:limit]


def offerings_for_attach(*, user):
    """The offerings a teacher teaches that have grade components (reports need one to go into)."""
    from teachers.models import CourseOffering

    return (CourseOffering.objects.filter(teacher=user, components__isnull=False).distinct()
            .select_related("course", "term", "school_class").order_by("-term__start_year", "-term__number",
                                                                       "school_class__code", "course__code"))


def components_for_attach(*, user):
    from teachers.assessment.models import GradeComponent

    return (GradeComponent.objects.filter(offering__teacher=user)
            .select_related("offering__course", "offering__term", "offering__school_class")
            .order_by("-offering__term__start_year", "-offering__term__number", "offering__school_class__code",
                      "offering__course__code", "order"))
