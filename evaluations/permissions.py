"""Who may use the evaluations app. Object-level rules live in selectors.py
(`rounds_for_user`, `round_get_for_user`, `invitation_get_for_rater`), which answer 404
for a round that is not the user's to see."""

from accounts.models import Role

# Everyone may have evaluations to do (students as peers and for self-evaluation).
HOME_ROLES = (Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.INDUSTRY, Role.SCHOOL_ADMIN)
RATER_ROLES = HOME_ROLES
ORGANISER_ROLES = (Role.TEACHER, Role.ENTERPRISE, Role.SCHOOL_ADMIN)
ADMIN_ROLES = (Role.SCHOOL_ADMIN,)
STUDENT_ROLES = (Role.STUDENT,)


def can_organise(user) -> bool:
    return bool(user.is_authenticated and user.role in ORGANISER_ROLES)
