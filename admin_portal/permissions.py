"""Who may use the admin_portal app, and which dashboard scope a viewer may see.

School administrators see every figure school-wide, per major, per class and per student.
A teacher may open the dashboard of a class they are the head teacher of (its figures and
its students' rows, nothing school-wide or per major): asking for school-wide or per-major
figures, or another class, is 403."""

from __future__ import annotations

from accounts.errors import NotPermitted
from accounts.models import Role

HOME_ROLES = (Role.SCHOOL_ADMIN,)
DASHBOARD_ROLES = (Role.SCHOOL_ADMIN, Role.TEACHER)
BOOKING_ROLES = (Role.SCHOOL_ADMIN, Role.TEACHER)


def dashboard_scope_check(user, scope) -> None:
    """Raise NotPermitted (403) unless `user` may see `scope`."""
    from django.utils.translation import gettext as _

    from teachers.models import SchoolClass

    if user.role == Role.SCHOOL_ADMIN:
        return
    if user.role == Role.TEACHER and scope.class_id and SchoolClass.objects.filter(
            pk=scope.class_id, head_teacher=user).exists():
        return
    raise NotPermitted(_("Only school administrators see school-wide and per-major figures; a head teacher sees "
                         "their own class."))
