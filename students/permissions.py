"""Who may use which part of the students app. Object-level rules (whose records a
user may see) live in the selectors: `profiles.selectors.student_get_for_user`,
`school_class_get_for_user`, and `can_manage_student` below."""

from __future__ import annotations

from accounts.models import Role

HOME_ROLES = (Role.STUDENT,)
# A student's radar: the student, their teachers, school administrators.
RADAR_VIEWER_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
CLASS_RADAR_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)

RANKING_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
POINTS_MANAGER_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)
COMPETITION_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
COMPETITION_MANAGER_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)
STARS_VIEW_ROLES = (Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.INDUSTRY, Role.SCHOOL_ADMIN)
STARS_SELECT_ROLES = (Role.SCHOOL_ADMIN,)
RESUME_OWNER_ROLES = (Role.STUDENT,)
RESUME_BROWSER_ROLES = (Role.ENTERPRISE, Role.TEACHER, Role.SCHOOL_ADMIN)
RESUME_LIST_ROLES = (Role.ENTERPRISE, Role.SCHOOL_ADMIN)
OUTLOOK_ROLES = (Role.STUDENT,)
OUTLOOK_ADMIN_ROLES = (Role.SCHOOL_ADMIN,)
# Expert lectures: everyone signed in reads them; industry masters and administrators organise.
LECTURE_ROLES = (Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.INDUSTRY, Role.SCHOOL_ADMIN)
LECTURE_ORGANISER_ROLES = (Role.INDUSTRY, Role.SCHOOL_ADMIN)


def can_manage_student(user, student) -> bool:
    """School admins manage every student; a teacher the students of the classes they head."""
    if user.role == Role.SCHOOL_ADMIN:
        return True
    if user.role == Role.TEACHER:
        return student.school_class.head_teacher_id == user.pk
    return False
