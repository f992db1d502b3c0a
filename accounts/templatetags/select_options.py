"""`{% select_options pairs selected %}`: the <option>s of a long select, built in one pass.

A school's class list has thousands of entries; a template loop spends most of a page's time
resolving and escaping them one variable at a time (the equipment page with 2,500 classes:
about half its render time)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def select_options(pairs: Iterable[tuple[object, object]], selected: object = None) -> str:
    """(value, label) pairs as escaped <option> elements; the one equal to `selected` (compared
    as text, so a submitted form's string matches an integer key) is selected."""
    chosen = "" if selected is None else str(selected)
    return format_html_join("", "{}", (
        (format_html('<option value="{}" selected>{}</option>', value, label) if str(value) == chosen
         else format_html('<option value="{}">{}</option>', value, label),) for value, label in pairs))
