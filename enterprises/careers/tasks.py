"""Celery tasks of careers after graduation."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="enterprises.careers.tasks.survey_rounds_open_due_task", acks_late=True, soft_time_limit=600,
             time_limit=720)
def survey_rounds_open_due_task() -> list[int]:
    """Run by beat (CELERY_BEAT_SCHEDULE "careers-survey-rounds"): opens the survey rounds
    that are due and notifies the graduates once. Idempotent."""
    from .services import survey_rounds_open_due

    return [r.pk for r in survey_rounds_open_due()]
