"""Demo data for growth: point rules, a ledger for every student (bulk), balances
that match it, competitions with verified awards, alumni and the outlook model.

Idempotent: students who already have ledger entries are skipped.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.db.models import Sum

from teachers.models import Competency, Term

from .growth_models import PointBalance, PointEntry, PointRule, PointSource
from .models import StudentProfile
from .points import point_rules_ensure_defaults

TEACHER_REASONS = ["课堂表现优秀", "志愿服务", "班级工作", "技能训练营", "创新创业活动"]


@transaction.atomic
def seed_ledger(ctx) -> None:
    """Course-grade points from the seeded final grades (the same rules the gradebook
    hook applies), plus a few teacher awards."""
    from teachers.models import Enrolment

    from .points import DEFAULT_RULES, grade_band

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


ALUMNI_PER_MAJOR = 1500


def seed_competitions(ctx) -> None:
    """A few competitions and verified awards (through the services, so points follow)."""
    import datetime

    from accounts.models import Role, User

    from . import competitions
    from .growth_models import Competition, CompetitionEntry

    if Competition.objects.exists():
        return
    admin = User.objects.filter(role=Role.SCHOOL_ADMIN).first()
    if admin is None:
        return
    specs = [
        ("全国职业院校技能大赛 电子商务赛项", "national", "ecommerce", ["ec-operation", "marketing"]),
        ("省职业院校技能大赛 大数据应用开发", "provincial", "bigdata", ["data-visualisation", "programming"]),
        ("校园直播带货大赛", "school", "ecommerce", ["new-media"]),
        ("校级数据可视化挑战赛", "school", "bigdata", ["data-visualisation"]),
    ]
    term = Term.objects.order_by("-start_year", "-number").first()
    rng = random.Random(ctx.seed + 44)
    ranks = ["first", "second", "third", "honourable", "participation"]
    for i, (name, level, major_code, codes) in enumerate(specs):
        comps = list(Competency.objects.filter(major__code=major_code, code__in=codes))
        competition = competitions.competition_create(actor=admin, name=name, level=level, term=term,
                                                      held_on=datetime.date(2025, 4 + i, 15), competencies=comps)
        students = list(StudentProfile.objects.filter(major__code=major_code).select_related("user")
                        .order_by("student_number")[: 40])
        demo = ctx.demo_users.get("student_demo")
        for s in rng.sample(students, min(8, len(students))) + [
                p for p in StudentProfile.objects.filter(user=demo, major__code=major_code)]:
            if CompetitionEntry.objects.filter(competition=competition, student=s).exists():
                continue
            entry = competitions.entry_submit(actor=s.user, competition=competition, rank=rng.choice(ranks),
                                              certificate=None)
            if rng.random() < 0.8:
                competitions.entry_review(actor=admin, entry=entry, approve=True, note="demo")


def seed_alumni(ctx) -> None:
    from teachers.models import Major

    from . import outlook
    from .growth_models import Alumnus, OutlookModel

    models = []
    for n, major in enumerate(Major.objects.order_by("code")):
        have = Alumnus.objects.filter(major=major).count()
        if have < ALUMNI_PER_MAJOR:
            Alumnus.objects.bulk_create(outlook.alumni_generate(
                major=major, count=ALUMNI_PER_MAJOR - have, seed=ctx.seed + n, start_index=have), batch_size=2000)
        # Train when alumni were added or no model serves the major yet; a re-run keeps the model.
        if have < ALUMNI_PER_MAJOR or not OutlookModel.objects.filter(major=major, is_active=True).exists():
            models.append(outlook.outlook_train(major=major))
    if models:
        ctx.log("growth: outlook " + ", ".join(f"{m.major.code} AUC {m.metrics['auc_employed']}" for m in models))


def seed_honours(ctx) -> None:
    """Stars of skills for every ended term, tiers for the latest ended one."""
    from django.utils import timezone

    from .rankings import tiers_assign_for_term
    from .stars import stars_select_due

    runs = stars_select_due()
    last = Term.objects.filter(ends_on__lt=timezone.localdate()).order_by("-start_year", "-number").first()
    if last is not None:
        tiers_assign_for_term(term=last)
    ctx.log(f"growth: {len(runs)} stars selections, tiers for {last}")


def seed_rankings(ctx) -> None:
    """Fill the rank table now (points and every competency) rather than wait for
    the debounced refresh tasks the grants above asked for."""
    import time

    from .rankings import rankings_refresh_all

    t = time.perf_counter()
    done = rankings_refresh_all()
    ctx.log(f"growth: rank table refreshed for {len(done)} metrics ({sum(done.values())} rows) "
            f"in {time.perf_counter() - t:.1f}s")


def seed(ctx) -> None:
    seed_ledger(ctx)
    seed_competitions(ctx)
    seed_honours(ctx)
    seed_rankings(ctx)
    seed_alumni(ctx)
