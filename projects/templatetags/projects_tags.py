"""Template helpers for the projects pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_CLASSES = {
    "open": "text-bg-success", "in_progress": "text-bg-primary", "delivered": "text-bg-info",
    "completed": "text-bg-dark", "pending": "text-bg-warning", "returned": "text-bg-danger",
    "cancelled": "text-bg-danger",
}


@register.simple_tag
def status_badge(obj) -> str:
    """A project's status as a coloured badge (a tag, not an include: it runs per row)."""
    return format_html('<span class="badge {}" data-status="{}">{}</span>',
                       STATUS_CLASSES.get(obj.status, "text-bg-secondary"), obj.status, obj.get_status_display())
