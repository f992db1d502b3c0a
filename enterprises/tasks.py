"""Celery tasks of the talent market: they take ids (or nothing) and call services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="enterprises.tasks.postings_expire_due_task", acks_late=True, soft_time_limit=300, time_limit=360)
def postings_expire_due_task() -> int:
    """Run by beat (CELERY_BEAT_SCHEDULE "market-postings-expire"): published postings
    past their deadline become expired. Idempotent."""
    from .services import posting_expire_due

    return posting_expire_due()


@shared_task(name="enterprises.tasks.invitation_email_task", acks_late=True)
def invitation_email_task(invitation_id: int, link: str, language: str) -> bool:
    from .services import invitation_email_send

    return invitation_email_send(invitation_id=invitation_id, link=link, language=language)


# careers after graduation (enterprises/careers/): imported so the worker registers it
from .careers.tasks import survey_rounds_open_due_task  # noqa: E402, F401
