"""Who may do what in the deepfake app. Object-level reads go through the
`*_get_for_user` selectors, which use the rules below and raise 404 in one place."""

from __future__ import annotations

from accounts.models import Role

HOME_ROLES = (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN)
# Who may upload media and run detection jobs.
DETECT_ROLES = (Role.STUDENT, Role.TEACHER)
# Who may launch training runs and choose the default model.
TRAIN_ROLES = (Role.TEACHER,)
# Who sees the jobs of the students of their classes.
SUPERVISE_ROLES = (Role.TEACHER,)


def can_detect(user) -> bool:
    return user.is_authenticated and user.role in DETECT_ROLES


def can_train(user) -> bool:
    return user.is_authenticated and user.role in TRAIN_ROLES
