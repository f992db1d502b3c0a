"""Celery tasks of the stars of skills. They take ids and call services."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=600, time_limit=700)
def stars_select_due_task() -> list[int]:
    from .services import stars_select_due

    return stars_select_due()


@shared_task(acks_late=True, soft_time_limit=600, time_limit=700)
def stars_select_term_task(term_id: int, actor_id: int | None = None) -> int:
    from accounts.models import User
    from teachers.models import Term

    from .services import stars_select_for_term

    term = Term.objects.get(pk=term_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return stars_select_for_term(term=term, actor=actor).pk
