"""What projects add to the students app's screens, without students importing it:
a card on the student's home page (HOME_PANELS) and a section on the resume
(RESUME_SECTIONS, read by the students app's resume)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role


def projects_home_panel(user) -> dict:
    from .cohort_selectors import designs_for_user
    from .selectors import project_list_for_user

    return {
        "template": "projects/_home_panel.html",
        "projects": list(project_list_for_user(user=user, mine=True)[:3]),
        "design": designs_for_user(user=user).first(),
    }


def projects_resume_section(student) -> dict | None:
    """Delivered projects on the student's resume, with the enterprise's rating."""
    from .selectors import delivered_projects_for_user

    projects = list(delivered_projects_for_user(user=student.user)[:10])
    if not projects:
        return None
    return {
        "template": "projects/_resume_section.html",
        "section": "projects",  # students' ResumeSection.PROJECTS: public only when the student says so
        "title": _("Enterprise projects"),
        "pdf_lines": [f"{p.title} · {p.enterprise.name}" + (f" · {p.rating.score:g}/100" if hasattr(p, "rating") else "")
                      for p in projects],
        "projects": projects,
    }


# (roles, order, function(user) -> context with "template")
HOME_PANELS = [((Role.STUDENT,), 50, projects_home_panel)]
# (order, function(student) -> context with "template", or None)
RESUME_SECTIONS = [(40, projects_resume_section)]
