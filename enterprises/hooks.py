"""Hooks the later work fills in.

`offer_accepted(application=...)` runs inside the transaction that accepts an offer
(enterprises.applications.application_respond). For an internship posting it calls
`internship_placement_create_for_application`, which the internship issue (issue 11)
implements: create the internship placement (student, enterprise, posting, mentor,
dates) from the accepted application. Until then it records that a placement is due,
so that issue can backfill the accepted offers made before it landed:

    AuditLog.objects.filter(action="internship.placement_due")
"""

from __future__ import annotations

from .models import Application, Posting


def internship_placement_create_for_application(*, application: Application) -> None:
    """Create the internship placement of this application (issue 11). Offers accepted
    before it landed were recorded as due; `manage.py internships_backfill` makes theirs."""
    from .internships.services import placement_create_for_application

    placement_create_for_application(application=application)


def offer_accepted(*, application: Application) -> None:
    if application.posting.kind == Posting.Kind.INTERNSHIP:
        internship_placement_create_for_application(application=application)
