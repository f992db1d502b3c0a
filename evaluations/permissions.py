"""Who may use the evaluations app. Object-level rules are added next to the selectors that fetch objects."""

from accounts.models import Role

HOME_ROLES = (Role.TEACHER, Role.ENTERPRISE, Role.INDUSTRY, Role.SCHOOL_ADMIN)
