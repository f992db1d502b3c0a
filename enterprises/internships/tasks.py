"""Celery tasks of the internships: they take ids (or nothing) and call services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="enterprises.internships.tasks.log_video_poster_task", acks_late=True, soft_time_limit=120,
             time_limit=180)
def log_video_poster_task(log_id: int) -> str:
    """The poster frame (JPEG) and the measured duration of a log's video."""
    from .media import log_poster_make

    return log_poster_make(log_id=log_id)


@shared_task(name="enterprises.internships.tasks.placements_advance_task", acks_late=True)
def placements_advance_task() -> dict:
    from .services import placements_advance

    return placements_advance()


@shared_task(name="enterprises.internships.tasks.logs_remind_due_task", acks_late=True)
def logs_remind_due_task() -> int:
    from .services import logs_remind_due

    return logs_remind_due()


@shared_task(name="enterprises.internships.tasks.integrity_scan_task", acks_late=True, soft_time_limit=900,
             time_limit=960)
def integrity_scan_task() -> dict:
    """Copied logs (MinHash over shingles) and shared-device check-ins; new flags only."""
    from .integrity import integrity_scan

    return integrity_scan()
