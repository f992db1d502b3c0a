"""Demo student profiles: every demo student gets a major, an intake year and a class."""

from __future__ import annotations

from django.db import transaction

from teachers.models import SchoolClass

from .models import StudentProfile


@transaction.atomic
def seed_profiles(ctx) -> None:
    from teachers.demo import INTAKE_YEARS

    # current cohorts only: the graduated classes (seed_graduates) take no new students
    classes = list(SchoolClass.objects.filter(intake_year__in=INTAKE_YEARS)
                   .order_by("major__code", "intake_year", "code").select_related("major"))
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


# Graduated classes for the careers surveys (enterprises/careers): the 2020–2022 intakes,
# classes of 2023–2025. Seeded here, before the grades, points and rankings, so that every
# later step of every run sees the same students (seed_demo stays idempotent).
GRADUATED_INTAKES = (2020, 2021, 2022)


def graduates_per_class(ctx) -> int:
    return max(3, min(30, ctx.students // 10))


@transaction.atomic
def seed_graduates(ctx) -> None:
    """Graduates with their final radar. They predate the demo's grade history, so their
    attainment is handed over as practice evidence ("final assessment at graduation",
    score = attainment × 100): the radar's own formula then gives exactly that
    attainment, and every later recompute keeps it."""
    import random

    from accounts.demo import person_name
    from accounts.models import Role, User
    from teachers.models import Competency, Major

    from ..radar.practice import PracticeEvidenceRow, practice_evidence_replace

    rng = random.Random(ctx.seed + 80)
    per_class = graduates_per_class(ctx)
    new_students: list[StudentProfile] = []
    for m, major in enumerate(Major.objects.filter(code__in=("bigdata", "ecommerce")).order_by("code")):
        for intake in GRADUATED_INTAKES:
            school_class, _created = SchoolClass.objects.get_or_create(
                code=f"{major.code}-{intake}-01",
                defaults={"major": major, "intake_year": intake, "name": f"{major.name}{str(intake)[2:]}级1班"})
            usernames = [f"grad_{major.code}_{intake}_{i:02d}" for i in range(per_class)]
            if major.code == "ecommerce" and intake == GRADUATED_INTAKES[-1]:
                usernames[0] = "graduate_demo"
            existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
            users = []
            for i, username in enumerate(usernames):
                if username not in existing:
                    zh, en = person_name(9000 + m * 1000 + (intake - 2000) * 40 + i, salt=3)
                    users.append(User(username=username, role=Role.STUDENT, display_name=zh, display_name_en=en,
                                      password=ctx.password_hash, email=f"{username}@demo.chanjiao.local"))
            User.objects.bulk_create(users)
            ids = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
            have = set(StudentProfile.objects.filter(user_id__in=ids.values()).values_list("user_id", flat=True))
            profiles = [StudentProfile(user_id=ids[u], student_number=f"{intake}{m + 1}9{i:03d}", major=major,
                                       school_class=school_class, intake_year=intake,
                                       status=StudentProfile.Status.GRADUATED)
                        for i, u in enumerate(usernames) if ids[u] not in have]
            new_students += StudentProfile.objects.bulk_create(profiles)
    if not new_students:
        return
    competencies: dict[int, list[int]] = {}
    for major_id, cid in Competency.objects.order_by("order", "code").values_list("major_id", "pk"):
        competencies.setdefault(major_id, []).append(cid)
    rows = []
    for student in new_students:
        ability = rng.gauss(0, 1)
        for cid in competencies.get(student.major_id, []):
            value = min(1.0, max(0.05, 0.6 + 0.09 * ability + 0.02 * (student.intake_year - 2020)
                                 + rng.gauss(0, 0.07)))
            rows.append(PracticeEvidenceRow(student_id=student.pk, competency_id=cid,
                                            reference=f"graduation:{student.intake_year + 3}",
                                            label=f"毕业综合评定 {student.intake_year + 3}", credits=1.0,
                                            weight=1.0, score=round(100 * value, 1)))
    practice_evidence_replace(source="demo-graduation", student_ids=[s.pk for s in new_students], rows=rows)
    ctx.log(f"students: {len(new_students)} graduates of the {GRADUATED_INTAKES[0]}–{GRADUATED_INTAKES[-1]} intakes")
