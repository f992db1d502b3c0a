"""Celery tasks of the teachers app (ids in, services do the work)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="teachers.tasks.supervision_escalate_overdue_task")
def supervision_escalate_overdue_task() -> int:
    """Beat: overdue rectification tasks escalate to school administrators (once per task)."""
    from .supervision.services import tasks_overdue_escalate

    return tasks_overdue_escalate()
