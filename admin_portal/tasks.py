"""Celery tasks of admin_portal: they take ids (or nothing) and call selectors or services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="admin_portal.tasks.dashboard_figures_warm_task", acks_late=True, soft_time_limit=240,
             time_limit=300)
def dashboard_figures_warm_task() -> int:
    """Run by beat (CELERY_BEAT_SCHEDULE "dashboard-figures-warm"): recompute the current year's
    dashboard figures into the cache before they expire. Idempotent."""
    from .selectors import dashboard_figures_warm

    return dashboard_figures_warm()
