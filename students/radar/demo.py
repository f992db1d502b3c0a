"""Demo grades (every class enrolled in its offerings, graded) and the radars they give."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np

from teachers.models import CourseOffering, Enrolment

from ..profiles.models import StudentProfile
from .services import radar_recompute, radar_terms_close_due


def seed_grades(ctx) -> None:
    """Enrol every class in its offerings and give final grades (numpy: a per-student
    ability plus per-course noise), then compute every radar in one pass."""
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


def seed_term_snapshots(ctx) -> None:
    """Freeze the radar of every term that has ended, as the beat task would."""
    closed = radar_terms_close_due()
    ctx.log(f"students: radar frozen for {len(closed)} ended terms")
