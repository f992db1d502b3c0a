"""Tutor's desk benchmark: one tutor (and one mentor) with N active interns.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_bench_internships \
        .venv/bin/python benchmarks/internship_desk.py [--interns 2000] [--requests 40]

Uses its own PostgreSQL database (created if missing, migrated, filled once): N students
in 50 classes, each with an active placement (one enterprise, this tutor and mentor),
check-ins on the last 10 working days (some missing today), two weekly logs (half waiting
for review), and flags on 5 % of the interns. Measured through Django's test client (one
process, DEBUG off): GET /enterprises/internships/ (the desk: counters over all N and the
first page of 50 interns, those needing attention first), a later page, the mentor's
desk, and the batch review page; p50/p95 in ms and the number of queries at N and at
N/10 (the count must not change). Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_internships")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

from benchmarks.rankings_bench import ensure_database, percentile  # noqa: E402 - after the environment


def populate(n: int, prefix: str) -> tuple:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Membership, Organization, Role, User
    from enterprises.models import CheckIn, EnterpriseProfile, IntegrityFlag, Placement, WeeklyLog
    from students.models import StudentProfile
    from teachers.models import Major, SchoolClass

    tutor, _ = User.objects.get_or_create(username=f"{prefix}-tutor", defaults={"role": Role.TEACHER})
    mentor, _ = User.objects.get_or_create(username=f"{prefix}-mentor", defaults={"role": Role.ENTERPRISE})
    org, _ = Organization.objects.get_or_create(code=f"{prefix}-org", defaults={
        "name": f"{prefix} 实习基地", "kind": Organization.Kind.ENTERPRISE})
    EnterpriseProfile.objects.get_or_create(organization=org, defaults={"cooperation_level": "practice_base"})
    Membership.objects.get_or_create(organization=org, user=mentor, defaults={"is_manager": True})
    if Placement.objects.filter(tutor=tutor).count() >= n:
        return tutor, mentor
    major, _ = Major.objects.get_or_create(code="bench-intern", defaults={"name": "实习基准", "name_en": "Bench"})
    classes = [SchoolClass.objects.get_or_create(code=f"{prefix}-c{k}", defaults={
        "major": major, "intake_year": 2023, "name": f"{prefix}-{k}"})[0] for k in range(50)]
    password = make_password("bench-password")
    users = User.objects.bulk_create([User(username=f"{prefix}-s{i}", role=Role.STUDENT, password=password,
                                           display_name=f"实习生{i}") for i in range(n)], batch_size=2000)
    profiles = StudentProfile.objects.bulk_create([
        StudentProfile(user=u, student_number=f"{prefix[:4]}{i:06d}", major=major, school_class=classes[i % 50],
                       intake_year=2023) for i, u in enumerate(users)], batch_size=2000)
    today = timezone.localdate()
    starts = today - datetime.timedelta(days=20)
    placements = Placement.objects.bulk_create([
        Placement(student=p, organization=org, mentor=mentor, tutor=tutor, title="运营", starts_on=starts,
                  ends_on=starts + datetime.timedelta(weeks=16), status="active") for p in profiles], batch_size=2000)
    rng = random.Random(n)
    checkins, logs, flags = [], [], []
    now = timezone.now()
    for k, placement in enumerate(placements):
        for back in range(0, 14):
            day = today - datetime.timedelta(days=back)
            if day.weekday() < 5 and not (back == 0 and rng.random() < 0.2):
                checkins.append(CheckIn(placement=placement, day=day, at=now - datetime.timedelta(days=back)))
        for week in (1, 2):
            logs.append(WeeklyLog(placement=placement, week=week, due_on=placement.week_due(week), text="周志" * 60,
                                  submitted_at=now, status="submitted" if rng.random() < 0.5 else "reviewed"))
        if k % 20 == 0:
            flags.append(IntegrityFlag(kind="device", placement=placement, score=1.0))
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    WeeklyLog.objects.bulk_create(logs, batch_size=2000)
    IntegrityFlag.objects.bulk_create(flags, batch_size=2000)
    return tutor, mentor


def measure(client, url: str, requests: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return percentile(times, 50), percentile(times, 95), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interns", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    small_tutor, small_mentor = populate(args.interns // 10, "bsmall")
    tutor, mentor = populate(args.interns, "bbig")
    print(f"| measure ({args.interns:,} interns; {args.requests} requests) | p50 ms | p95 ms | queries |"
          f" queries at {args.interns // 10:,} |")
    print("|---|---:|---:|---:|---:|")
    for label, url, user, small_user in (
            ("floor: GET /api/v1/me/ (authentication and rendering only)", "/api/v1/me/", tutor, small_tutor),
            ("tutor's desk, first page", "/enterprises/internships/", tutor, small_tutor),
            ("tutor's desk, page 20", "/enterprises/internships/?page=20", tutor, small_tutor),
            ("mentor's desk, first page", "/enterprises/internships/", mentor, small_mentor),
            ("batch review page (30 logs)", "/enterprises/internships/review/", tutor, small_tutor)):
        client = Client()
        client.force_login(small_user)
        small = measure(client, url.replace("page=20", "page=2"), 3)[2]
        client.force_login(user)
        client.get(url)  # warm
        p50, p95, queries = measure(client, url, args.requests)
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {queries} | {small} |")


if __name__ == "__main__":
    main()
