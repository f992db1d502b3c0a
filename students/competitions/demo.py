"""Demo competitions and verified awards (through the services, so points follow)."""

from __future__ import annotations

import random

from teachers.models import Competency, Term

from ..profiles.models import StudentProfile


def seed_competitions(ctx) -> None:
    """A few competitions and verified awards (through the services, so points follow)."""
    import datetime

    from accounts.models import Role, User

    from . import services as competitions
    from .models import Competition, CompetitionEntry

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
