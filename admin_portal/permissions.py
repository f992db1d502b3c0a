"""Who may use the admin_portal app. Object-level rules are added next to the selectors that fetch objects."""

from accounts.models import Role

HOME_ROLES = (Role.SCHOOL_ADMIN,)
