"""Who may do what with challenges. Object reads go through selectors.challenge_get_for_user."""

from __future__ import annotations

from accounts.models import Role

CHALLENGE_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
CREATE_ROLES = (Role.TEACHER,)
ENTER_ROLES = (Role.STUDENT,)


def can_create_challenge(user) -> bool:
    return user.is_authenticated and user.role in CREATE_ROLES


def can_manage_challenge(user, challenge) -> bool:
    return user.is_authenticated and user.role == Role.TEACHER and challenge.created_by_id == user.pk


def student_class_id(user) -> int | None:
    from students.models import StudentProfile

    if not user.is_authenticated or user.role != Role.STUDENT:
        return None
    return StudentProfile.objects.filter(user=user).values_list("school_class_id", flat=True).first()


def can_enter(user, challenge) -> bool:
    class_id = student_class_id(user)
    return class_id is not None and challenge.classes.filter(pk=class_id).exists()
