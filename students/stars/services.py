"""Stars of skills: at the end of each term the top students per competency (points
earned in it that term) and each major's "core marketing personnel" (top points
overall that term) are selected, published on the honour page and notified.

Selection is idempotent per term: the StarRun row is created once (unique per
term); a second run returns the same selection and sends no second notification.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.services import audit_log_record, notification_send
from teachers.models import Competency, Term

from ..points.models import PointEntry
from ..profiles.models import StudentProfile
from .models import StarOfSkill, StarRun

TOP_PER_COMPETENCY = 3
TOP_CORE_PER_MAJOR = 5


def _top(rows, *, n: int) -> dict:
    """rows: (group, student_id, student_number, value) -> {group: [(student_id, value), ...]} best first,
    ties broken by student number so the selection is deterministic."""
    grouped: dict = {}
    for group, student_id, number, value in rows:
        if value and value > 0:
            grouped.setdefault(group, []).append((-value, number, student_id))
    return {g: [(sid, -v) for v, _, sid in sorted(items)[:n]] for g, items in grouped.items()}


def stars_select_for_term(*, term: Term, actor=None, top_per_competency: int = TOP_PER_COMPETENCY,
                          top_core: int = TOP_CORE_PER_MAJOR) -> StarRun:
    existing = StarRun.objects.filter(term=term).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            run = StarRun.objects.create(term=term, selected_by=actor if getattr(actor, "pk", None) else None)
            entries = PointEntry.objects.filter(term=term)
            by_comp = (entries.filter(competency__isnull=False)
                       .values("competency_id", "student_id", "student__student_number")
                       .annotate(v=Sum("amount")).values_list("competency_id", "student_id",
                                                              "student__student_number", "v"))
            by_major = (entries.values("student__major_id", "student_id", "student__student_number")
                        .annotate(v=Sum("amount")).values_list("student__major_id", "student_id",
                                                               "student__student_number", "v"))
            stars = []
            comp_major = dict(Competency.objects.values_list("id", "major_id"))
            for competency_id, chosen in _top(by_comp, n=top_per_competency).items():
                for position, (student_id, value) in enumerate(chosen, start=1):
                    stars.append(StarOfSkill(run=run, student_id=student_id, major_id=comp_major[competency_id],
                                             competency_id=competency_id, position=position, value=value))
            for major_id, chosen in _top(by_major, n=top_core).items():
                for position, (student_id, value) in enumerate(chosen, start=1):
                    stars.append(StarOfSkill(run=run, student_id=student_id, major_id=major_id, competency=None,
                                             position=position, value=value))
            StarOfSkill.objects.bulk_create(stars)
            audit_log_record(actor=actor, action="stars.select", target=run, data={"stars": len(stars)})
            _notify(run)
            return run
    except IntegrityError:
        # A concurrent selection for the same term won; return its result.
        return StarRun.objects.get(term=term)


def _notify(run: StarRun) -> None:
    """Notify the selected students once per run (guarded by notified_at)."""
    locked = StarRun.objects.select_for_update().get(pk=run.pk)
    if locked.notified_at is not None:
        return
    user_ids = set(StudentProfile.objects.filter(stars__run=run).values_list("user_id", flat=True))
    if user_ids:
        notification_send(recipients=user_ids, title=gettext_noop("You are a Star of Skills of term %(term)s"),
                          body=gettext_noop("Your name is on the roll of honour."), params={"term": run.term.code}, url=f"/students/stars/?term={run.term.code}")
    locked.notified_at = timezone.now()
    locked.save(update_fields=["notified_at"])
    run.notified_at = locked.notified_at


def stars_select_due(*, today: datetime.date | None = None) -> list[int]:
    """Terms that have ended and have no selection yet (the beat task calls this daily)."""
    today = today or timezone.localdate()
    due = Term.objects.filter(ends_on__lt=today).filter(~Q(star_run__isnull=False)).order_by("start_year", "number")
    return [stars_select_for_term(term=term).pk for term in due]
