"""Who may do what with careers after graduation (object rules in selectors.py)."""

from accounts.models import Role

CAREERS_ADMIN_ROLES = (Role.SCHOOL_ADMIN,)  # destinations of every graduate, the import
SURVEY_ROLES = (Role.STUDENT,)  # graduates answer for themselves (selectors.graduate_for_user)
FEEDBACK_ROLES = (Role.ENTERPRISE,)  # rate the interns and graduates the organisation hosts or employs
FEEDBACK_READER_ROLES = (Role.ENTERPRISE, Role.TEACHER, Role.SCHOOL_ADMIN)
DESTINATION_READER_ROLES = (Role.STUDENT, Role.SCHOOL_ADMIN)
DEMAND_SUPPLY_ROLES = (Role.TEACHER, Role.SCHOOL_ADMIN)
