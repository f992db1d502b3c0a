"""Who may use the teachers app. Object-level rules live in selectors.py
(`offering_get_for_user`, `user_can_view_class`), which raise 403/404 in one place."""

from accounts.models import Role

HOME_ROLES = (Role.TEACHER,)
GRADEBOOK_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)
