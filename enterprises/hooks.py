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

from accounts.services import audit_log_record

from .models import Application, Posting


def internship_placement_create_for_application(*, application: Application) -> None:
    """Placeholder for issue 11: create the internship placement of this application."""
    audit_log_record(actor=application.student.user, action="internship.placement_due", target=application,
                     data={"posting": application.posting_id, "organization": application.posting.organization_id})


def offer_accepted(*, application: Application) -> None:
    if application.posting.kind == Posting.Kind.INTERNSHIP:
        internship_placement_create_for_application(application=application)
