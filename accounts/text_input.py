"""One rule for free text typed into a form or an API body and kept by a service."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import ApplicationError


def text_clean(value, *, label: str, max_length: int = 5000, required: bool = True) -> str:
    """Stripped text; refused (400 `text`, naming the field) when required and empty,
    longer than `max_length`, or containing a NUL character."""
    value = (value or "").strip()
    if "\x00" in value or len(value) > max_length or (required and not value):
        raise ApplicationError(_("%(field)s: required, at most %(n)d characters.") % {"field": label, "n": max_length},
                               code="text")
    return value
