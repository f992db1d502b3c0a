"""Who may use the projects app. Object-level rules are added next to the selectors that fetch objects."""

from accounts.models import Role

HOME_ROLES = (Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.SCHOOL_ADMIN)
