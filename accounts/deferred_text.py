"""Text that is written now and read later, in the *reader's* language.

A notification, a ledger reason or a job stage is stored as its English source
text (a msgid marked with ``gettext_noop`` so makemessages extracts it) plus the
parameters to interpolate. It is translated when it is shown, with whatever language
is active for the reader (the request's, or the recipient's for an e-mail).

    from django.utils.translation import gettext_noop
    notification_send(recipients=[u], title=gettext_noop("Posting %(title)s approved"),
                      params={"title": posting.title})

Free text typed by a person (a teacher's reason for a grant) is stored as it was
typed and shown unchanged: ``gettext`` returns a string it has no entry for as is,
and it is interpolated only when parameters were given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext


def render_deferred(msgid: str, params: Mapping[str, Any] | None = None) -> str:
    """The stored text in the active language. A missing or malformed parameter never
    raises: the untranslated source is shown rather than an error page."""
    if not msgid:
        return ""
    text = gettext(msgid)
    if not params:
        return text
    try:
        return text % dict(params)
    except (KeyError, ValueError, TypeError):
        try:
            return msgid % dict(params)
        except (KeyError, ValueError, TypeError):
            return msgid
