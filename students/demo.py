"""Demo student profiles: every demo student gets a major, an intake year and a class."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
from django.db import transaction

from teachers.models import CourseOffering, Enrolment, SchoolClass

from .models import StudentProfile


@transaction.atomic
def seed(ctx) -> None:
    classes = list(SchoolClass.objects.order_by("major__code", "intake_year", "code").select_related("major"))
    groups: dict[tuple, list[SchoolClass]] = {}
    for school_class in classes:
        groups.setdefault((school_class.major.code, school_class.intake_year), []).append(school_class)
    group_keys = sorted(groups)
    existing = set(StudentProfile.objects.filter(user_id__in=ctx.student_ids).values_list("user_id", flat=True))
    # Deterministic placement: the i-th student goes to group i mod G, then fills its classes in turn.
    # The demo login (index 0) is a second-year e-commerce student.
    preferred = ("ecommerce", 2024)
    order = [preferred] + [key for key in group_keys if key != preferred]
    counters = {key: 0 for key in group_keys}
    profiles = []
    for i, user_id in enumerate(ctx.student_ids):
        key = order[i % len(order)]
        seq = counters[key]
        counters[key] += 1
        group_classes = groups[key]
        school_class = group_classes[(seq // 40) % len(group_classes)]
        if user_id in existing:
            continue
        major_code, year = key
        major_digit = "1" if major_code == "ecommerce" else "2"
        profiles.append(
            StudentProfile(
                user_id=user_id,
                student_number=f"{year}{major_digit}{seq + 1:05d}",
                major=school_class.major,
                school_class=school_class,
                intake_year=year,
            )
        )
    StudentProfile.objects.bulk_create(profiles, batch_size=2000)
    ctx.log(f"students: {StudentProfile.objects.count()} profiles")
    seed_grades(ctx)
    _seed_growth(ctx)


def seed_grades(ctx) -> None:
    """Enrol every class in its offerings and give final grades (numpy: a per-student
    ability plus per-course noise), then compute every radar in one pass."""
    from .radar import radar_recompute

    done = set(Enrolment.objects.values_list("offering_id", flat=True).distinct())
    offerings = [o for o in CourseOffering.objects.select_related("term").order_by("pk") if o.pk not in done]
    if offerings:
        members: dict[int, list[int]] = {}
        for user_id, class_id in StudentProfile.objects.values_list("user_id", "school_class_id").order_by("user_id"):
            members.setdefault(class_id, []).append(user_id)
        rng = np.random.default_rng(ctx.seed)
        max_user = max((uid for ids in members.values() for uid in ids), default=0) + 1
        ability = rng.normal(76, 7, size=max_user)
        rows = []
        for offering in offerings:
            user_ids = np.asarray(members.get(offering.school_class_id, []), dtype=int)
            if user_ids.size == 0:
                continue
            difficulty = rng.normal(0, 4)
            scores = np.clip(ability[user_ids] + difficulty + rng.normal(0, 8, size=user_ids.size), 35, 100)
            scores = np.round(scores * 2) / 2
            graded_at = datetime.datetime.combine(offering.term.ends_on, datetime.time(10), tzinfo=datetime.UTC)
            rows.extend(
                Enrolment(offering_id=offering.pk, student_id=int(uid), score=Decimal(f"{score:.1f}"),
                          graded_by_id=offering.teacher_id, graded_at=graded_at)
                for uid, score in zip(user_ids.tolist(), scores.tolist(), strict=True)
            )
        Enrolment.objects.bulk_create(rows, batch_size=5000)
        ctx.log(f"students: {len(rows)} grades")
    result = radar_recompute()
    ctx.log(f"students: radar of {result.students} students computed")


def _seed_growth(ctx) -> None:
    """Issue 4 (points, rankings, awards, alumni): see students/growth_demo.py."""
    from .growth_demo import seed as growth_seed

    growth_seed(ctx)
