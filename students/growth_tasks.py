"""Celery tasks for growth: they take ids and call services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="students.tasks.stars_select_due_task", acks_late=True, soft_time_limit=600, time_limit=700)
def stars_select_due_task() -> list[int]:
    from .stars import stars_select_due

    return stars_select_due()


@shared_task(name="students.tasks.stars_select_term_task", acks_late=True, soft_time_limit=600, time_limit=700)
def stars_select_term_task(term_id: int, actor_id: int | None = None) -> int:
    from accounts.models import User
    from teachers.models import Term

    from .stars import stars_select_for_term

    term = Term.objects.get(pk=term_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return stars_select_for_term(term=term, actor=actor).pk


@shared_task(name="students.tasks.tiers_assign_due_task", acks_late=True, soft_time_limit=600, time_limit=700)
def tiers_assign_due_task() -> int:
    """Snapshot tiers for every ended term that has none yet."""
    from django.utils import timezone

    from teachers.models import Term

    from .growth_models import TermTier
    from .rankings import tiers_assign_for_term

    done = set(TermTier.objects.values_list("term_id", flat=True).distinct())
    count = 0
    for term in Term.objects.filter(ends_on__lt=timezone.localdate()).exclude(pk__in=done):
        count += tiers_assign_for_term(term=term)
    return count


@shared_task(name="students.tasks.outlook_train_task", acks_late=True, soft_time_limit=1200, time_limit=1500)
def outlook_train_task() -> list[int]:
    from .outlook import outlook_train_all

    return [m.pk for m in outlook_train_all()]


@shared_task(name="students.tasks.rankings_refresh_task", acks_late=True, soft_time_limit=300, time_limit=360)
def rankings_refresh_task(key: str) -> int:
    """Debounced refresh of the rank table: `points`, `competency:<id>` or `major:<id>`."""
    from .rankings import rankings_refresh_for_key

    return rankings_refresh_for_key(key=key)


@shared_task(name="students.tasks.rankings_refresh_all_task", acks_late=True, soft_time_limit=900, time_limit=1000)
def rankings_refresh_all_task() -> dict[str, int]:
    """Hourly safety net: new or moved students, changes made outside the services."""
    from .rankings import rankings_refresh_all

    return rankings_refresh_all()
