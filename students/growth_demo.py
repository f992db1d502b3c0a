"""Demo data for growth: point rules, a ledger for every student (bulk), balances
that match it, competitions with verified awards, alumni and the outlook model.

Idempotent: students who already have ledger entries are skipped.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.db.models import Sum

from teachers.models import Competency, Term

from .growth_models import PointBalance, PointEntry, PointSource
from .models import StudentProfile
from .points import point_rules_ensure_defaults

TEACHER_REASONS = ["课堂表现优秀", "志愿服务", "班级工作", "技能训练营", "创新创业活动"]


@transaction.atomic
def seed_ledger(ctx) -> None:
    point_rules_ensure_defaults()
    terms = list(Term.objects.order_by("start_year", "number"))
    competencies: dict[int, list[int]] = {}
    for major_id, comp_id in Competency.objects.values_list("major_id", "id"):
        competencies.setdefault(major_id, []).append(comp_id)
    have = set(PointEntry.objects.values_list("student_id", flat=True).distinct())
    rng = random.Random(ctx.seed + 4)
    entries = []
    students = StudentProfile.objects.exclude(pk__in=have).values_list("pk", "major_id", "intake_year")
    for pk, major_id, year in students.iterator(chunk_size=5000):
        ability = rng.gauss(0, 1)
        own_terms = [t for t in terms if t.start_year >= year] or terms[-1:]
        comps = competencies.get(major_id) or [None]
        for term in own_terms:
            for course in range(3):
                score = max(40, min(100, rng.gauss(76 + 8 * ability, 9)))
                amount = 10 if score >= 90 else 7 if score >= 80 else 4 if score >= 70 else 2 if score >= 60 else 0
                if amount:
                    entries.append(PointEntry(
                        student_id=pk, source=PointSource.COURSE_GRADE, amount=amount, term_id=term.pk,
                        competency_id=comps[(course + term.number) % len(comps)],
                        reason=f"课程成绩 {score:.0f}", reference=f"demo-grade:{pk}:{term.pk}:{course}",
                    ))
            if rng.random() < 0.25 + 0.1 * ability:
                entries.append(PointEntry(
                    student_id=pk, source=PointSource.TEACHER_AWARD, amount=rng.choice([3, 5, 8]), term_id=term.pk,
                    competency_id=rng.choice(comps), reason=rng.choice(TEACHER_REASONS),
                ))
    PointEntry.objects.bulk_create(entries, batch_size=5000)
    # Balances from the ledger in one statement-sized pass.
    totals = (PointEntry.objects.exclude(student_id__in=have).values("student_id")
              .annotate(total=Sum("amount")).values_list("student_id", "total"))
    PointBalance.objects.bulk_create([PointBalance(student_id=s, total=t) for s, t in totals],
                                     batch_size=5000, update_conflicts=True, update_fields=["total"],
                                     unique_fields=["student"])
    ctx.log(f"growth: {len(entries)} point entries, {PointBalance.objects.count()} balances")


def seed(ctx) -> None:
    seed_ledger(ctx)
