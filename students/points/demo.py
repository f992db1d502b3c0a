"""Demo points: the rules, a ledger for every student (bulk) and balances that match it.

Idempotent: students who already have ledger entries are skipped.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.db.models import Sum

from teachers.models import Competency

from ..profiles.models import StudentProfile
from .models import PointBalance, PointEntry, PointRule, PointSource
from .services import DEFAULT_RULES, grade_band, point_rules_ensure_defaults

TEACHER_REASONS = ["课堂表现优秀", "志愿服务", "班级工作", "技能训练营", "创新创业活动"]


@transaction.atomic
def seed_ledger(ctx) -> None:
    """Course-grade points from the seeded final grades (the same rules the gradebook
    hook applies), plus a few teacher awards."""
    from teachers.models import Enrolment

    point_rules_ensure_defaults()
    amounts = {k: a for s, k, a, _ in DEFAULT_RULES if s == PointSource.COURSE_GRADE}
    amounts.update(dict(PointRule.objects.filter(source=PointSource.COURSE_GRADE, active=True)
                        .values_list("key", "amount")))
    competencies: dict[int, list[int]] = {}
    for major_id, comp_id in Competency.objects.values_list("major_id", "id"):
        competencies.setdefault(major_id, []).append(comp_id)
    have = set(PointEntry.objects.values_list("student_id", flat=True).distinct())
    profiles = {uid: (pk, major_id) for pk, uid, major_id in
                StudentProfile.objects.exclude(pk__in=have).values_list("pk", "user_id", "major_id")}
    entries = []
    grades = (Enrolment.objects.filter(student_id__in=list(profiles), score__isnull=False)
              .values_list("pk", "student_id", "score", "offering__term_id", "offering__course__name",
                           "graded_by_id"))
    terms_of: dict[int, set[int]] = {}
    for enrolment_id, user_id, score, term_id, course, graded_by in grades.iterator(chunk_size=10000):
        band = grade_band(float(score))
        pk = profiles[user_id][0]
        terms_of.setdefault(pk, set()).add(term_id)
        if band and amounts.get(band):
            entries.append(PointEntry(
                student_id=pk, source=PointSource.COURSE_GRADE, amount=amounts[band], term_id=term_id,
                granted_by_id=graded_by, reason=f"{course}: {score:g}", reference=f"enrolment:{enrolment_id}:v1",
            ))
    for pk, major_id in profiles.values():
        comps = competencies.get(major_id) or [None]
        # Seeded per student, so a re-run decides the same for a student it sees again
        # (one whose first run gave no entries), and the reference makes a repeat a no-op.
        rng = random.Random(ctx.seed * 1_000_003 + pk)
        for term_id in sorted(terms_of.get(pk, ())):
            if rng.random() < 0.3:
                entries.append(PointEntry(
                    student_id=pk, source=PointSource.TEACHER_AWARD, amount=rng.choice([3, 5, 8]), term_id=term_id,
                    competency_id=rng.choice(comps), reason=rng.choice(TEACHER_REASONS),
                    reference=f"demo-award:{pk}:{term_id}",
                ))
    PointEntry.objects.bulk_create(entries, batch_size=5000, ignore_conflicts=True)
    totals = (PointEntry.objects.exclude(student_id__in=have).values("student_id")
              .annotate(total=Sum("amount")).values_list("student_id", "total"))
    PointBalance.objects.bulk_create([PointBalance(student_id=s, total=t) for s, t in totals],
                                     batch_size=5000, update_conflicts=True, update_fields=["total"],
                                     unique_fields=["student"])
    ctx.log(f"growth: {len(entries)} point entries, {PointBalance.objects.count()} balances")
