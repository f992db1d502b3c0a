"""Demo honours: stars of skills for every ended term, tiers for the latest one."""

from __future__ import annotations


def seed_honours(ctx) -> None:
    """Stars of skills for every ended term, tiers for the latest ended one."""
    from django.utils import timezone

    from teachers.models import Term

    from ..rankings.services import tiers_assign_for_term
    from .services import stars_select_due

    runs = stars_select_due()
    last = Term.objects.filter(ends_on__lt=timezone.localdate()).order_by("-start_year", "-number").first()
    if last is not None:
        tiers_assign_for_term(term=last)
    ctx.log(f"growth: {len(runs)} stars selections, tiers for {last}")
