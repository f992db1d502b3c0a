"""Who may use the students app. Object-level rules are added next to the selectors that fetch objects."""

from accounts.models import Role

HOME_ROLES = (Role.STUDENT,)
