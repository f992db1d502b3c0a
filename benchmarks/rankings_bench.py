"""Ranking page benchmark: 1,000 vs 100,000 students, against a plain page floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_bench_rank \
        .venv/bin/python benchmarks/rankings_bench.py [--requests 200] [--gunicorn-requests 400]

Uses its own database (created if missing, its growth tables emptied first). For
each population it measures GET /students/rankings/?scope=school (50 per page, the
signed-in student's own position included) and the floor /bench/plain/ (the same
template from a fixed context), after filling the rank table (`rankings_refresh_all`,
timed, as is one debounced refresh after a single grant): p50/p95 through Django's test client (one process)
and through gunicorn (4 sync workers, loopback only) under 4 concurrent clients with
a bounded number of requests; plus the page's query count. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_rank")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def ensure_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def populate(target: int) -> None:
    """Grow the population to `target` students in bulk (users, profiles, balances)."""
    import random

    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from accounts.models import Role, User
    from students.models import PointBalance, StudentProfile
    from teachers.models import Major, SchoolClass

    major, _ = Major.objects.get_or_create(code="bench", defaults={"name": "基准专业", "name_en": "Bench"})
    have = StudentProfile.objects.count()
    if have >= target:
        return
    password = make_password("bench-password")
    rng = random.Random(have)
    batch = 10000
    for start in range(have, target, batch):
        stop = min(target, start + batch)
        classes = {}
        for i in range(start, stop):
            code = f"bench-{i // 40:05d}"
            classes.setdefault(code, None)
        existing = {c.code: c for c in SchoolClass.objects.filter(code__in=list(classes))}
        SchoolClass.objects.bulk_create([SchoolClass(major=major, intake_year=2023 + (int(c[-5:]) % 3), code=c,
                                                     name=c) for c in classes if c not in existing])
        class_by_code = {c.code: c for c in SchoolClass.objects.filter(code__in=list(classes))}
        users = User.objects.bulk_create([
            User(username=f"bench{i}", role=Role.STUDENT, password=password, display_name=f"学生{i}",
                 display_name_en=f"Student {i}") for i in range(start, stop)])
        profiles = StudentProfile.objects.bulk_create([
            StudentProfile(user=u, student_number=f"B{i:07d}", major=major,
                           school_class=class_by_code[f"bench-{i // 40:05d}"],
                           intake_year=class_by_code[f"bench-{i // 40:05d}"].intake_year)
            for i, u in zip(range(start, stop), users, strict=True)])
        PointBalance.objects.bulk_create([PointBalance(student=p, total=max(0, int(rng.gauss(300, 90))))
                                          for p in profiles])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def refresh_timings() -> tuple[float, float, int]:
    """Full refresh of the points ranking (fills the table), then one grant to a
    student in the middle and the refresh that follows it (rows actually rewritten)."""
    from students.models import PointSource, StudentProfile
    from students.points import services as points
    from students.rankings import services as ranking_writes

    t = time.perf_counter()
    ranking_writes.rankings_refresh_all()
    full = time.perf_counter() - t
    student = StudentProfile.objects.order_by("student_number")[StudentProfile.objects.count() // 3]
    from unittest import mock

    # Without its on-commit refresh request (eager here), so the refresh below is the one timed.
    with mock.patch.object(points, "rankings_refresh_request"):
        points.points_grant(actor=None, student=student, source=PointSource.TEACHER_AWARD, amount=25,
                            reason="bench")
    t = time.perf_counter()
    refresh = ranking_writes.rankings_refresh(metric=ranking_writes.POINTS_METRIC)
    one = time.perf_counter() - t
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE students_rankingentry")
    return full, one, refresh.rows_changed


def measure_client(path: str, user, n: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(user)
    for _ in range(10):
        assert client.get(path).status_code == 200
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    return percentile(times, 50), percentile(times, 95), len(executed)


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def measure_gunicorn(port: int, path: str, cookie: str, total: int, clients: int = 4) -> tuple[float, float, float]:
    url = f"http://127.0.0.1:{port}{path}"
    per_client = total // clients
    results: list[float] = []
    lock = threading.Lock()

    def worker():
        local = []
        for _ in range(per_client):
            request = urllib.request.Request(url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            t = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                assert response.status == 200
            local.append((time.perf_counter() - t) * 1000)
        with lock:
            results.extend(local)

    for _ in range(8):  # warm every worker
        urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=30).read()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return percentile(results, 50), percentile(results, 95), len(results) / elapsed


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "platform_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "4",
         "--log-level", "warning"], cwd=ROOT, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="test-client requests per page")
    parser.add_argument("--gunicorn-requests", type=int, default=400, help="requests per page through gunicorn")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from students.models import StudentProfile

    if StudentProfile.objects.exclude(major__code="bench").exists():
        raise SystemExit("This database holds non-benchmark students; use a database of its own.")
    sizes = [int(s) for s in args.sizes.split(",")]
    if StudentProfile.objects.count() > min(sizes):
        # Start again from the smallest population (this database holds only benchmark rows).
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE accounts_user, teachers_schoolclass, students_studentprofile CASCADE")
    rows = []
    refreshes = []
    for size in sizes:
        t = time.perf_counter()
        populate(size)
        load = time.perf_counter() - t
        refresh_full, refresh_one, changed = refresh_timings()
        refreshes.append((size, refresh_full, refresh_one, changed))
        me = StudentProfile.objects.select_related("user").order_by("student_number")[size // 2]
        from django.db import connections

        connections.close_all()
        gunicorn = start_gunicorn(args.port)
        try:
            cookie = session_cookie(me.user)
            for label, path in (("ranking page", "/students/rankings/?scope=school"),
                                ("ranking page, page 100", "/students/rankings/?scope=school&page=100"),
                                ("plain template floor", "/bench/plain/")):
                if "page=100" in path and size < 5000:
                    continue
                c50, c95, queries = measure_client(path, me.user, args.requests)
                g50, g95, rps = measure_gunicorn(args.port, path, cookie, args.gunicorn_requests)
                rows.append((size, label, c50, c95, queries, g50, g95, rps))
                print(f"{size:>7} {label:<24} client p50 {c50:6.1f} ms p95 {c95:6.1f} ms  queries {queries}  "
                      f"gunicorn(4 clients) p50 {g50:6.1f} ms p95 {g95:6.1f} ms {rps:6.1f} req/s", flush=True)
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=20)
        print(f"  (population of {size} loaded in {load:.1f}s)", flush=True)
    print()
    print("| students | page | test client p50 / p95 (ms) | queries | gunicorn, 4 clients p50 / p95 (ms) | req/s |")
    print("|---:|---|---|---:|---|---:|")
    for size, label, c50, c95, queries, g50, g95, rps in rows:
        print(f"| {size:,} | {label} | {c50:.1f} / {c95:.1f} | {queries} | {g50:.1f} / {g95:.1f} | {rps:.0f} |")
    print()
    for size, full, one, changed in refreshes:
        print(f"rank table, {size:,} students: full refresh {full * 1000:.0f} ms; after one grant "
              f"{one * 1000:.0f} ms ({changed} rows rewritten)")
    by = {(s, lbl): (c50, g50) for s, lbl, c50, _, _, g50, _, _ in rows}
    if (sizes[0], "ranking page") in by and (sizes[-1], "ranking page") in by:
        small, large = by[(sizes[0], "ranking page")], by[(sizes[-1], "ranking page")]
        print(f"\nratio {sizes[-1]:,} / {sizes[0]:,} students (p50): test client {large[0] / small[0]:.2f}x, "
              f"gunicorn {large[1] / small[1]:.2f}x (target 1.5x)")


if __name__ == "__main__":
    main()
