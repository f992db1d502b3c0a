"""`{% home_panels %}`: the cards higher apps add to a role's home page through HOME_PANELS
in their panels.py ((roles, order, function(user) -> context naming its "template")), so
the lower app's page never imports them. The student dashboard reads the same registry."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accounts.navigation import project_app_attribute

register = template.Library()


@register.simple_tag(takes_context=True)
def home_panels(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    entries = sorted(project_app_attribute("panels", "HOME_PANELS"), key=lambda entry: entry[1])
    parts = []
    for roles, _order, build in entries:
        if user.role in roles:
            panel = build(user)
            parts.append(render_to_string(panel["template"], {"panel": panel}, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, escaped by the engine
