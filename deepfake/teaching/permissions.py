"""Who may do what with guides, lab assignments and reports. Object reads go through the
``*_get_for_user`` selectors, which raise 404 for objects outside a user's scope."""

from __future__ import annotations

from accounts.models import Role

GUIDE_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
ATTACH_ROLES = (Role.TEACHER,)
SUBMIT_ROLES = (Role.STUDENT,)
GRADE_ROLES = (Role.TEACHER,)


def can_attach(user) -> bool:
    return user.is_authenticated and user.role in ATTACH_ROLES


def can_manage_assignment(user, assignment) -> bool:
    """The teacher of the offering grades its lab reports (not a co-worker who attached nothing)."""
    return user.is_authenticated and user.role == Role.TEACHER and assignment.offering.teacher_id == user.pk


def can_submit(user, assignment) -> bool:
    from teachers.models import Enrolment

    return (user.is_authenticated and user.role == Role.STUDENT
            and Enrolment.objects.filter(offering_id=assignment.offering_id, student=user).exists())
