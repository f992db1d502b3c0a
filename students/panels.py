"""What the students app adds to home pages through the HOME_PANELS registry
(accounts' `{% home_panels %}` tag and the student dashboard read it): upcoming expert
lectures for students, teachers and industry masters."""

from __future__ import annotations

from accounts.models import Role


def lectures_home_panel(user) -> dict:
    from .lectures.selectors import lectures_for_panel
    from .permissions import LECTURE_ORGANISER_ROLES

    return {"template": "students/lectures/_home_panel.html", "lectures": lectures_for_panel(user=user),
            "can_schedule": user.role in LECTURE_ORGANISER_ROLES}


# (roles, order, function(user) -> context with "template")
HOME_PANELS = [((Role.STUDENT, Role.TEACHER, Role.INDUSTRY), 45, lectures_home_panel)]
