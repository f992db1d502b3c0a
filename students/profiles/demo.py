"""Demo student profiles: every demo student gets a major, an intake year and a class."""

from __future__ import annotations

from django.db import transaction

from teachers.models import SchoolClass

from .models import StudentProfile


@transaction.atomic
def seed_profiles(ctx) -> None:
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
