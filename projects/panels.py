"""What projects add to lower apps' screens, without them importing it: a card on the
student's home page (HOME_PANELS), a section on the resume (RESUME_SECTIONS, read by the
students app's resume), and the "enterprise case → project / graduation topic" buttons
on a shared resource's page (RESOURCE_ACTIONS, read by teachers' resources)."""

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


def case_conversion_actions(user, resource) -> list[dict]:
    """Buttons on a resource's page (teachers' RESOURCE_ACTIONS registry): an enterprise
    case becomes an order-based project or a graduation topic in one action."""
    from django.urls import reverse

    from .cases import case_may_convert

    if resource.kind != "case" or user.role not in (Role.ENTERPRISE, Role.TEACHER):
        return []
    actions = []
    if case_may_convert(user=user, case=resource, target="project"):
        actions.append({"label": _("Publish as an order-based project"), "icon": "kanban",
                        "url": reverse("projects:case_to_project", args=[resource.pk])})
    if case_may_convert(user=user, case=resource, target="topic"):
        actions.append({"label": _("Propose as a graduation topic"), "icon": "mortarboard",
                        "url": reverse("projects:case_to_topic", args=[resource.pk])})
    return actions


# (roles, order, function(user) -> context with "template")
HOME_PANELS = [((Role.STUDENT,), 50, projects_home_panel)]
# (order, function(student) -> context with "template", or None)
RESUME_SECTIONS = [(40, projects_resume_section)]
# function(user, resource) -> [{"label", "url", "icon"}]: actions on a shared resource's page
RESOURCE_ACTIONS = [case_conversion_actions]
