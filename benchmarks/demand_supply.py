"""Demand vs supply benchmark (issue 14 item 6): one major with N students (7 stored
competency attainments each, five cohorts), M published postings with 3–5 requirements
over five years, 200 talent-demand rows with requirements, and employer feedback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_bench_careers \
        .venv/bin/python benchmarks/demand_supply.py [--students 100000] [--postings 20000] [--requests 30]

Uses its own PostgreSQL database (created if missing, migrated, filled once with SQL
`INSERT … SELECT generate_series`). Measured through Django's test client (one process,
DEBUG off), warm (after five untimed requests), p50/p95 in ms over the years:

- GET /api/v1/careers/demand-supply/?major=bench-ds&year=Y as a school administrator;
- GET /enterprises/demand-supply/?major=bench-ds&year=Y (the page with both charts);

each once with the cache emptied before every request (every aggregate runs) and once
warm (the 60-second cache of the postings scan and the cohort scan hit).

Prints a Markdown table with the query count; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_careers")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

from benchmarks.rankings_bench import ensure_database, percentile  # noqa: E402 - after the environment

YEARS = (2022, 2023, 2024, 2025, 2026)
MAJOR = "bench-ds"


def _t(model) -> str:
    return model._meta.db_table


def populate(n_students: int, n_postings: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from accounts.models import Organization, User
    from enterprises.models import (
        DemandRequirement,
        EmployerFeedback,
        FeedbackRating,
        Posting,
        PostingRequirement,
        SurveyRound,
        TalentDemand,
    )
    from students.models import CompetencyAttainment, StudentProfile
    from teachers.models import Competency, Major, SchoolClass

    major, _ = Major.objects.get_or_create(code=MAJOR, defaults={"name": MAJOR, "name_en": MAJOR})
    for k in range(7):
        Competency.objects.get_or_create(major=major, code=f"ds-c{k}", defaults={"name": f"能力{k}", "order": k})
    organization, _ = Organization.objects.get_or_create(code="bench-ds-ent", defaults={
        "kind": "enterprise", "name": "基准用人单位"})
    with connection.cursor() as c:
        if StudentProfile.objects.filter(major=major).count() < n_students:
            password = make_password("bench-password")
            c.execute(f"""INSERT INTO {_t(SchoolClass)} (major_id, intake_year, code, name)
                SELECT %s, 2019 + mod(g, 5), 'bds-' || g, 'bds-' || g FROM generate_series(0, %s) g
                ON CONFLICT DO NOTHING""", [major.pk, n_students // 40])
            c.execute(f"""INSERT INTO {_t(User)} (password, is_superuser, username, first_name, last_name, email,
                is_staff, is_active, date_joined, role, display_name, display_name_en, language, phone)
                SELECT %s, false, 'bds' || g, '', '', '', false, true, now(), 'student', '学生' || g, 'S ' || g, '', ''
                FROM generate_series(1, %s) g ON CONFLICT DO NOTHING""", [password, n_students])
            c.execute(f"""INSERT INTO {_t(StudentProfile)} (user_id, student_number, major_id, school_class_id,
                intake_year, status)
                SELECT u.id, 'D' || lpad(substr(u.username, 4), 8, '0'), sc.major_id, sc.id, sc.intake_year,
                       CASE WHEN sc.intake_year < 2023 THEN 'graduated' ELSE 'enrolled' END
                FROM {_t(User)} u JOIN {_t(SchoolClass)} sc ON sc.code = 'bds-' || (substr(u.username, 4)::int / 40)
                WHERE u.username LIKE 'bds%%' ON CONFLICT DO NOTHING""")
            c.execute(f"""INSERT INTO {_t(CompetencyAttainment)} (student_id, competency_id, attainment, earned,
                possible, updated_at)
                SELECT s.id, k.id, random() * 0.9, 0, 0, now() FROM {_t(StudentProfile)} s
                JOIN {_t(Competency)} k ON k.major_id = s.major_id WHERE s.major_id = %s ON CONFLICT DO NOTHING""",
                      [major.pk])
        have = Posting.objects.filter(majors=major).count()
        if have < n_postings:
            c.execute(f"""INSERT INTO {_t(Posting)} (organization_id, kind, title, description, city, headcount,
                deadline, status, rejection_reason, weight_total, created_at, updated_at, published_at, submitted_at)
                SELECT %s, 'job', 'bds posting ' || g, '', '杭州', 1 + mod(g, 4), make_date(%s + mod(g, 5), 12, 31),
                       CASE WHEN mod(g, 7) = 0 THEN 'closed' ELSE 'published' END, '', 1, now(), now(),
                       make_timestamptz(%s + mod(g, 5), 1 + mod(g, 12), 1 + mod(g, 28), 12, 0, 0), now()
                FROM generate_series(%s, %s) g""", [organization.pk, YEARS[0], YEARS[0], have, n_postings - 1])
            c.execute(f"""INSERT INTO {_t(Posting.majors.through)} (posting_id, major_id)
                SELECT p.id, %s FROM {_t(Posting)} p WHERE p.title LIKE 'bds posting %%'
                ON CONFLICT DO NOTHING""", [major.pk])
            c.execute(f"""INSERT INTO {_t(PostingRequirement)} (posting_id, competency_id, minimum, importance)
                SELECT p.id, k.id, round((0.3 + random() * 0.6)::numeric, 2), 1 + mod(p.id + k.order, 3)
                FROM {_t(Posting)} p JOIN {_t(Competency)} k ON k.major_id = %s
                WHERE p.title LIKE 'bds posting %%' AND mod(p.id + k.order * 3, 7) < 4
                ON CONFLICT DO NOTHING""", [major.pk])
    if not TalentDemand.objects.filter(major=major).exists():
        comps = list(Competency.objects.filter(major=major).order_by("order"))
        for i in range(200):
            demand = TalentDemand.objects.create(organization=organization, year=YEARS[i % 5], major=major,
                                                 position_family="data", headcount=1 + i % 9)
            DemandRequirement.objects.bulk_create([DemandRequirement(demand=demand, competency=comps[(i + j) % 7],
                                                                     minimum=0.5 + 0.05 * j) for j in range(3)])
        students = list(StudentProfile.objects.filter(major=major, status="graduated").order_by("pk")
                        .values_list("pk", "intake_year")[:2000])
        for year in YEARS[:4]:
            r, _ = SurveyRound.objects.get_or_create(graduation_year=year, kind="graduation", defaults={
                "opens_on": f"{year}-07-01", "closes_on": f"{year}-08-30"})
        rounds = {r.graduation_year: r for r in SurveyRound.objects.all()}
        feedback = EmployerFeedback.objects.bulk_create([
            EmployerFeedback(organization=organization, student_id=sid, survey_round=rounds[intake + 3],
                             kind="graduate", major=major, year=intake + 3)
            for sid, intake in students if intake + 3 in rounds])
        FeedbackRating.objects.bulk_create([FeedbackRating(feedback=f, competency=c, rating=1 + (f.pk + c.order) % 5)
                                            for f in feedback for c in comps], batch_size=5000)
    with connection.cursor() as c:
        c.execute("ANALYZE")


def measure(client, paths: list[str], n: int, *, cold: bool = False) -> tuple[float, float, int]:
    """p50, p95 and queries; `cold`: the demand-vs-supply cache is emptied before each
    request (untimed), so every request runs every aggregate."""
    from django.core.cache import cache
    from django.db import connection

    for path in paths * 2:  # warm: caches, plans, the first connection
        assert client.get(path).status_code == 200, path
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    if cold:
        cache.clear()
    with connection.execute_wrapper(count):
        client.get(paths[0])
    times = []
    for i in range(n):
        if cold:
            cache.clear()
        t = time.perf_counter()
        response = client.get(paths[i % len(paths)])
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    return percentile(times, 50), percentile(times, 95), len(executed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from accounts.models import Role, User
    from enterprises.models import Posting
    from students.models import StudentProfile

    started = time.perf_counter()
    populate(args.students, args.postings)
    print(f"data ready ({StudentProfile.objects.filter(major__code=MAJOR).count()} students, "
          f"{Posting.objects.filter(majors__code=MAJOR).count()} postings) in {time.perf_counter() - started:.1f}s",
          file=sys.stderr)
    admin, _ = User.objects.get_or_create(username="bench-ds-admin", defaults={"role": Role.SCHOOL_ADMIN})
    client = Client()
    client.force_login(admin)
    print("| request | p50 ms | p95 ms | queries |")
    print("|---|---|---|---|")
    for label, base in (("GET /api/v1/careers/demand-supply/", "/api/v1/careers/demand-supply/"),
                        ("GET /enterprises/demand-supply/ (page)", "/enterprises/demand-supply/")):
        paths = [f"{base}?major={MAJOR}&year={y}" for y in YEARS]
        for cold in (True, False):
            p50, p95, queries = measure(client, paths, args.requests, cold=cold)
            state = "every aggregate computed" if cold else "warm (60 s cache of the two scans)"
            print(f"| {label}, {state} | {p50:.0f} | {p95:.0f} | {queries} |")


if __name__ == "__main__":
    main()
