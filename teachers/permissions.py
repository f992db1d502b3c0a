"""Who may use the teachers app. Object-level rules live here and in the `<thing>_get_for_user`
selectors, which raise 403/404 in one place."""

from __future__ import annotations

from accounts.models import Role

HOME_ROLES = (Role.TEACHER,)
GRADEBOOK_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)
CURRICULUM_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)
PROGRAM_ADMIN_ROLES = (Role.SCHOOL_ADMIN,)
REFORM_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN, Role.INDUSTRY, Role.ENTERPRISE)
REFORM_PROPOSER_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)
REVIEWER_ROLES = (Role.INDUSTRY, Role.ENTERPRISE)
SUPERVISION_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN, Role.INDUSTRY, Role.ENTERPRISE)
FEEDBACK_ROLES = (Role.STUDENT,)
RESOURCE_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN, Role.INDUSTRY, Role.ENTERPRISE)
RESOURCE_UPLOAD_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN, Role.INDUSTRY, Role.ENTERPRISE)


def is_school_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.SCHOOL_ADMIN)


def course_can_edit(*, user, course) -> bool:
    """School administrators and the course's owners edit a course, its credits and weights."""
    if is_school_admin(user):
        return True
    if not (user and user.is_authenticated and user.role == Role.TEACHER):
        return False
    return course.owners.filter(pk=user.pk).exists()
