"""Reads of the stars of skills: the honour roll."""

from __future__ import annotations

from teachers.models import Term

from .models import StarOfSkill, StarRun


def honour_roll(*, term: Term | None = None):
    run_qs = StarRun.objects.select_related("term")
    run = run_qs.filter(term=term).first() if term else run_qs.order_by("-term__start_year", "-term__number").first()
    if run is None:
        return None, []
    stars = (StarOfSkill.objects.filter(run=run)
             .select_related("student__user", "student__school_class", "major", "competency")
             .order_by("major__code", "competency__order", "competency_id", "position"))
    return run, list(stars)
