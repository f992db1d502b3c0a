"""Talent-market benchmark: candidate ranking, a student's best postings, the posting list.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_bench_market \
        .venv/bin/python benchmarks/market_bench.py [--students 100000] [--postings 5000] [--requests 40]

Uses its own PostgreSQL database (created if missing, migrated, filled once with SQL
`INSERT … SELECT generate_series`): two majors of 7 competencies, N students with a
stored radar (7 attainment rows each, random), point balances, career profiles (half
visible to every enterprise), one enterprise, and M open postings with 3–5
requirements. Measured through Django's test client (one process, DEBUG off), p50/p95
in ms over random postings / students:

- GET /api/v1/postings/<id>/candidates/ as the owning enterprise (its visible
  students and applicants) and as a school administrator (every student of the major);
- GET /api/v1/students/<n>/posting-matches/ as a school administrator;
- GET /api/v1/postings/ and the page /enterprises/jobs/ as a student (fit on each row),
  at 1,000 open postings and again at M.

Prints a Markdown table; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_market")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

from benchmarks.rankings_bench import ensure_database, percentile  # noqa: E402 - after the environment


def _t(model) -> str:
    return model._meta.db_table


def populate_students(n: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from accounts.models import User
    from enterprises.models import CareerProfile
    from students.models import CompetencyAttainment, PointBalance, StudentProfile
    from teachers.models import Competency, Major, SchoolClass

    if StudentProfile.objects.count() >= n:
        return
    majors = []
    for code in ("bench-ec", "bench-bd"):
        major, _ = Major.objects.get_or_create(code=code, defaults={"name": code, "name_en": code})
        for k in range(7):
            Competency.objects.get_or_create(major=major, code=f"{code}-c{k}", defaults={"name": f"能力{k}", "order": k})
        majors.append(major)
    password = make_password("bench-password")
    with connection.cursor() as c:
        c.execute(f"""INSERT INTO {_t(SchoolClass)} (major_id, intake_year, code, name)
            SELECT CASE WHEN mod(g, 2) = 0 THEN %s ELSE %s END, 2023 + mod(g, 3), 'bench-' || g, 'bench-' || g
            FROM generate_series(0, %s) g ON CONFLICT DO NOTHING""", [majors[0].pk, majors[1].pk, n // 40])
        c.execute(f"""INSERT INTO {_t(User)} (password, is_superuser, username, first_name, last_name, email, is_staff,
            is_active, date_joined, role, display_name, display_name_en, language, phone)
            SELECT %s, false, 'bstu' || g, '', '', '', false, true, now(), 'student', '学生' || g, 'Student ' || g, '', ''
            FROM generate_series(1, %s) g ON CONFLICT DO NOTHING""", [password, n])
        c.execute(f"""INSERT INTO {_t(StudentProfile)} (user_id, student_number, major_id, school_class_id,
            intake_year, status)
            SELECT u.id, 'B' || lpad(substr(u.username, 5), 8, '0'), sc.major_id, sc.id, sc.intake_year, 'enrolled'
            FROM {_t(User)} u JOIN {_t(SchoolClass)} sc ON sc.code = 'bench-' || (substr(u.username, 5)::int / 40)
            WHERE u.username LIKE 'bstu%%' ON CONFLICT DO NOTHING""")
        c.execute(f"""INSERT INTO {_t(CompetencyAttainment)} (student_id, competency_id, attainment, earned, possible,
            updated_at)
            SELECT s.id, k.id, random() * 0.9, 0, 0, now() FROM {_t(StudentProfile)} s
            JOIN {_t(Competency)} k ON k.major_id = s.major_id ON CONFLICT DO NOTHING""")
        c.execute(f"""INSERT INTO {_t(PointBalance)} (student_id, total, updated_at)
            SELECT id, (random() * 300)::int, now() FROM {_t(StudentProfile)} ON CONFLICT DO NOTHING""")
        c.execute(f"""INSERT INTO {_t(CareerProfile)} (student_id, photo, photo_content_type, phone, email, wechat,
            introduction, education, certificates, visibility, updated_at)
            SELECT id, '', '', '', '', '', '', '', '', CASE WHEN mod(id, 2) = 0 THEN 'enterprises' ELSE 'hidden' END, now()
            FROM {_t(StudentProfile)} ON CONFLICT DO NOTHING""")
        c.execute("ANALYZE")


def populate_postings(total: int, hr, organization) -> None:
    from django.db import connection
    from django.utils import timezone

    from enterprises.models import Posting, PostingRequirement
    from teachers.models import Competency, Major

    have = Posting.objects.count()
    if have >= total:
        return
    rng = random.Random(have)
    majors = list(Major.objects.filter(code__in=["bench-ec", "bench-bd"]).order_by("code"))
    comps = {m.pk: list(Competency.objects.filter(major=m).values_list("pk", flat=True)) for m in majors}
    deadline = timezone.localdate() + timezone.timedelta(days=60)
    now = timezone.now()
    postings = Posting.objects.bulk_create([Posting(
        organization=organization, created_by=hr, kind="job" if i % 2 else "internship", title=f"岗位 {i}",
        description="基准岗位", city=["杭州", "宁波", "上海"][i % 3], headcount=1 + i % 4, deadline=deadline,
        status="published", published_at=now, submitted_at=now) for i in range(have, total)], batch_size=2000)
    through = Posting.majors.through
    reqs, links = [], []
    for p in postings:
        major = majors[p.pk % 2]
        links.append(through(posting_id=p.pk, major_id=major.pk))
        chosen = rng.sample(comps[major.pk], rng.randint(3, 5))
        rows = [(c, round(rng.uniform(0.2, 0.8), 2), float(rng.randint(1, 3))) for c in chosen]
        reqs.extend(PostingRequirement(posting=p, competency_id=c, minimum=r, importance=v) for c, r, v in rows)
        p.weight_total = sum(r * v for _c, r, v in rows)
    Posting.objects.bulk_update(postings, ["weight_total"], batch_size=2000)
    through.objects.bulk_create(links, batch_size=5000)
    PostingRequirement.objects.bulk_create(reqs, batch_size=5000)
    with connection.cursor() as c:
        c.execute("ANALYZE")


def measure(client, paths: list[str], n: int) -> tuple[float, float, int]:
    from django.db import connection

    for path in paths[:5]:
        assert client.get(path).status_code == 200, path
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(paths[0])
    times = []
    for i in range(n):
        t = time.perf_counter()
        response = client.get(paths[i % len(paths)])
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    return percentile(times, 50), percentile(times, 95), len(executed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--postings", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from accounts.models import Membership, Organization, Role, User
    from enterprises.models import EnterpriseProfile, Posting
    from students.models import StudentProfile

    started = time.perf_counter()
    populate_students(args.students)
    print(f"students ready ({StudentProfile.objects.count()}) in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    organization, _ = Organization.objects.get_or_create(code="bench-ent", defaults={"kind": "enterprise",
                                                                                      "name": "基准企业"})
    EnterpriseProfile.objects.get_or_create(organization=organization)
    hr, _ = User.objects.get_or_create(username="bench-hr", defaults={"role": Role.ENTERPRISE})
    Membership.objects.get_or_create(organization=organization, user=hr)
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": Role.SCHOOL_ADMIN})
    student = StudentProfile.objects.select_related("user").order_by("pk").first()
    rng = random.Random(7)
    rows = []

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    have = Posting.objects.order_by("pk").values_list("pk", flat=True)
    if have.count() > 1000:  # a rerun: back to 1,000 postings, so that the list is measured at both sizes
        Posting.objects.filter(pk__gt=list(have[999:1000])[0]).delete()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE enterprises_posting")
            cursor.execute("VACUUM ANALYZE enterprises_postingrequirement")
    with open("/proc/loadavg") as loadavg:
        print(f"load average {' '.join(loadavg.read().split()[:3])}", file=sys.stderr)
    list_figures = {}
    for total in (1000, args.postings):
        populate_postings(total, hr, organization)
        ids = list(Posting.objects.values_list("pk", flat=True))
        for label, path in (("GET /api/v1/postings/ (student, fit per row)", "/api/v1/postings/"),
                            ("GET /enterprises/jobs/ (student page)", "/enterprises/jobs/")):
            p50, p95, queries = measure(client_for(student.user), [path], args.requests)
            list_figures.setdefault(label, []).append((total, p50, p95, queries))
    sample = rng.sample(ids, min(len(ids), args.requests))
    numbers = list(StudentProfile.objects.order_by("?").values_list("student_number", flat=True)[: args.requests])
    for label, user, paths in (
        ("floor: GET /api/v1/me/ (authentication and rendering only)", hr, ["/api/v1/me/"]),
        ("candidates, first page (enterprise: visible + applicants)", hr,
         [f"/api/v1/postings/{pid}/candidates/" for pid in sample]),
        ("candidates, first page (school admin: whole major)", admin,
         [f"/api/v1/postings/{pid}/candidates/" for pid in sample]),
        ("a student's best postings (posting-matches)", admin,
         [f"/api/v1/students/{n}/posting-matches/" for n in numbers]),
    ):
        p50, p95, queries = measure(client_for(user), paths, args.requests)
        rows.append((label, p50, p95, queries))
    print(f"\n{StudentProfile.objects.count():,} students, {Posting.objects.count():,} open postings, "
          f"{args.requests} requests each (Django test client, one process)\n")
    print("| measure | p50 ms | p95 ms | queries |\n|---|---:|---:|---:|")
    for label, p50, p95, queries in rows:
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {queries} |")
    for label, figures in list_figures.items():
        for total, p50, p95, queries in figures:
            print(f"| {label} at {total:,} postings | {p50:.0f} | {p95:.0f} | {queries} |")
        if len(figures) == 2:
            print(f"| {label}: p50 ratio {args.postings:,} / 1,000 | {figures[1][1] / figures[0][1]:.2f}× | | |")


if __name__ == "__main__":
    main()
