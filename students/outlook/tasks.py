"""Celery tasks of the employment outlook."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=1200, time_limit=1500)
def outlook_train_task() -> list[int]:
    from .services import outlook_train_all

    return [m.pk for m in outlook_train_all()]
