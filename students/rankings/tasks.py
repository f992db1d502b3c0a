"""Celery tasks of the rankings: rank-table refreshes and tier snapshots. They take ids and call services."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=600, time_limit=700)
def tiers_assign_due_task() -> int:
    """Snapshot tiers for every ended term that has none yet."""
    from django.utils import timezone

    from teachers.models import Term

    from .models import TermTier
    from .services import tiers_assign_for_term

    done = set(TermTier.objects.values_list("term_id", flat=True).distinct())
    count = 0
    for term in Term.objects.filter(ends_on__lt=timezone.localdate()).exclude(pk__in=done):
        count += tiers_assign_for_term(term=term)
    return count


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def rankings_refresh_task(key: str) -> int:
    """Debounced refresh of the rank table: `points`, `competency:<id>` or `major:<id>`."""
    from .services import rankings_refresh_for_key

    return rankings_refresh_for_key(key=key)


@shared_task(acks_late=True, soft_time_limit=900, time_limit=1000)
def rankings_refresh_all_task() -> dict[str, int]:
    """Hourly safety net: new or moved students, changes made outside the services."""
    from .services import rankings_refresh_all

    return rankings_refresh_all()
