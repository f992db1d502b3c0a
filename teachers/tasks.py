"""Celery tasks of the teachers app (ids in, services do the work)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="teachers.tasks.supervision_escalate_overdue_task")
def supervision_escalate_overdue_task() -> int:
    """Beat: overdue rectification tasks escalate to school administrators (once per task)."""
    from .supervision.services import tasks_overdue_escalate

    return tasks_overdue_escalate()


@shared_task(name="teachers.tasks.resource_preview_task", acks_late=True, soft_time_limit=60, time_limit=90)
def resource_preview_task(resource_id: int) -> bool:
    """Render a shared resource's preview (PDF first page, image, video poster)."""
    from .resources.models import Resource
    from .resources.previews import preview_render

    resource = Resource.objects.filter(pk=resource_id).first()
    return bool(resource) and preview_render(resource=resource)


@shared_task(name="teachers.tasks.gradebook_import_task", acks_late=True, soft_time_limit=600, time_limit=660)
def gradebook_import_task(import_id: int) -> str | None:
    """A big gradebook import (teachers.gradebook_jobs): validated, then applied all or nothing."""
    from .gradebook_jobs import gradebook_import_run

    job = gradebook_import_run(import_id=import_id)
    return job.status if job else None


@shared_task(name="teachers.tasks.gradebook_imports_sweep_task", acks_late=True)
def gradebook_imports_sweep_task() -> dict:
    """Re-queue or fail big imports whose worker was lost; re-send ones stuck in the queue."""
    from .gradebook_jobs import gradebook_imports_sweep

    return gradebook_imports_sweep()
