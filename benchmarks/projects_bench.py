"""Projects benchmark: the selection engine, and the project list and studio page at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_bench_projects \
        .venv/bin/python benchmarks/projects_bench.py [--students 100000] [--projects 20000] [--requests 100]

1. Deferred acceptance on 5,000 students × 50 options × 10 choices each (pure function,
   best and median of 5 runs), then the same round through `selection_compute` (loads the
   applications from the database, runs the engine, stores 5,000 outcomes with explanations).
2. With --students students (bulk, shared with the rankings benchmark) and --projects
   projects (each with a bid; a quarter won by studio teams): GET /projects/list/ as a
   student and as an enterprise, GET /api/v1/projects/, GET /projects/studios/<id>/ — p50 /
   p95 over --requests requests through Django's test client, and each page's query count,
   beside the rankings benchmark's plain-template floor measured in the same run.

Uses its own database (created if missing). Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_projects")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def random_instance(students: int, options: int, choices: int, seed: int = 1):
    """Popular options are applied to more (squared weights), each option ranks its applicants."""
    rng = random.Random(seed)
    option_ids = list(range(1, options + 1))
    weights = [(options - i) ** 2 for i in range(options)]
    student_prefs = {}
    for s in range(students):
        picked: list[int] = []
        while len(picked) < choices:
            o = rng.choices(option_ids, weights=weights)[0]
            if o not in picked:
                picked.append(o)
        student_prefs[f"S{s:06d}"] = picked
    applicants: dict[int, list[str]] = {o: [] for o in option_ids}
    for s, prefs in student_prefs.items():
        for o in prefs:
            applicants[o].append(s)
    option_prefs = {o: rng.sample(a, len(a)) for o, a in applicants.items()}
    capacities = {o: rng.randint(60, 140) for o in option_ids}
    return capacities, student_prefs, option_prefs


def bench_engine() -> dict:
    from projects.matching import deferred_acceptance

    capacities, students, options = random_instance(5000, 50, 10)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        result = deferred_acceptance(capacities, students, options)
        times.append(time.perf_counter() - t)
    placed = sum(1 for v in result.values() if v is not None)
    return {"best": min(times), "median": statistics.median(times), "placed": placed,
            "seats": sum(capacities.values())}


def ensure_database(url: str) -> None:
    from benchmarks.rankings_bench import ensure_database as ensure

    ensure(url)


def bench_compute_service() -> float:
    """The same shape of round through the database: applications in, outcomes out."""
    from django.utils import timezone

    from accounts.models import Organization, Role, User
    from projects import selection
    from projects.models import OrderClass, SelectionApplication, SelectionOption, SelectionRound
    from students.models import StudentProfile
    from teachers.models import Major

    major = Major.objects.get(code="bench")
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": Role.SCHOOL_ADMIN})
    org, _ = Organization.objects.get_or_create(code="bench-ent-0", defaults={"kind": "enterprise",
                                                                               "name": "基准企业0"})
    SelectionRound.objects.filter(title="bench round").delete()
    selection_round = SelectionRound.objects.create(
        kind="order_class", title="bench round", major=major, intake_year=2023, status="ranking",
        apply_deadline=timezone.now(), created_by=admin)
    capacities, students, option_prefs = random_instance(5000, 50, 10)
    classes = OrderClass.objects.bulk_create([OrderClass(enterprise=org, major=major, intake_year=2023, capacity=c,
                                                         criteria="c", title=f"bench {o}", created_by=admin)
                                              for o, c in capacities.items()])
    options = SelectionOption.objects.bulk_create([SelectionOption(round=selection_round, capacity=c, order_class=k)
                                                   for (o, c), k in zip(capacities.items(), classes, strict=True)])
    option_of = dict(zip(capacities, options, strict=True))
    profiles = dict(StudentProfile.objects.order_by("student_number").values_list("student_number", "pk")[:5000])
    numbers = list(profiles)
    alias = dict(zip(students, numbers, strict=True))
    position = {o: {s: i for i, s in enumerate(p, start=1)} for o, p in option_prefs.items()}
    SelectionApplication.objects.bulk_create([
        SelectionApplication(round=selection_round, option=option_of[o], student_id=profiles[alias[s]],
                             student_rank=r, option_rank=position[o][s])
        for s, prefs in students.items() for r, o in enumerate(prefs, start=1)], batch_size=5000)
    t = time.perf_counter()
    selection.selection_compute(actor=admin, selection_round=selection_round)
    return time.perf_counter() - t


def populate_projects(target: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Membership, Organization, Role, User
    from projects.models import Bid, Project, Studio, StudioMember, Team, TeamMember
    from students.models import StudentProfile

    have = Project.objects.count()
    if have >= target:
        return
    rng = random.Random(7)
    hr, _ = User.objects.get_or_create(username="bench_hr", defaults={"role": Role.ENTERPRISE})
    orgs = []
    for i in range(20):
        org, _ = Organization.objects.get_or_create(code=f"bench-ent-{i}", defaults={"kind": "enterprise",
                                                                                    "name": f"基准企业{i}"})
        orgs.append(org)
    Membership.objects.get_or_create(organization=orgs[0], user=hr)
    studios = []
    for i in range(10):
        studio, _ = Studio.objects.get_or_create(code=f"bench-studio-{i}", defaults={"skill_area": "marketing",
                                                                                    "title": f"基准工作室{i}"})
        studios.append(studio)
    student_users = list(StudentProfile.objects.order_by("pk").values_list("user_id", flat=True))
    if not StudioMember.objects.filter(studio=studios[0]).exists():
        StudioMember.objects.bulk_create([StudioMember(studio=studios[i % 10], user_id=u, role="student",
                                                       status="admitted") for i, u in enumerate(student_users[:20000])],
                                         batch_size=5000)
    teams = list(Team.objects.filter(name__startswith="bench team"))
    if not teams:
        creator = student_users[0]
        teams = Team.objects.bulk_create([Team(name=f"bench team {i}", created_by_id=creator,
                                               studio=studios[i % 10] if i % 2 == 0 else None) for i in range(5000)])
        TeamMember.objects.bulk_create([TeamMember(team=t, user_id=student_users[(i * 3 + k) % len(student_users)],
                                                   role="leader" if k == 0 else "member")
                                        for i, t in enumerate(teams) for k in range(3)], batch_size=5000)
    now = timezone.now()
    statuses = ["open", "in_progress", "completed", "delivered", "pending", "draft"]
    for start in range(have, target, 5000):
        stop = min(target, start + 5000)
        batch = []
        for i in range(start, stop):
            status = statuses[i % len(statuses)]
            team = teams[i % len(teams)]
            batch.append(Project(enterprise=orgs[i % 20], created_by=hr, title=f"基准项目{i}", brief="b",
                                 deliverables="d", reward_points=50 + i % 100, bid_deadline=now,
                                 due_date=now.date(), team_size_max=5, status=status,
                                 selected_team=team if status in ("in_progress", "completed", "delivered") else None))
        projects = Project.objects.bulk_create(batch)
        Bid.objects.bulk_create([Bid(project=p, team=teams[(i + rng.randint(0, 10)) % len(teams)], proposal="p",
                                     plan="p", submitted_by_id=student_users[0])
                                 for i, p in enumerate(projects)], ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(path: str, user, n: int) -> tuple[float, float, int]:
    from benchmarks.rankings_bench import measure_client

    return measure_client(path, user, n)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    engine = bench_engine()
    print("## Selection engine: 5,000 students × 50 options × 10 choices")
    print(f"best {engine['best']:.3f} s, median {engine['median']:.3f} s over 5 runs; "
          f"{engine['placed']} placed, {engine['seats']} seats")

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from benchmarks.rankings_bench import populate

    t = time.perf_counter()
    populate(args.students)
    populate_projects(args.projects)
    print(f"\npopulated in {time.perf_counter() - t:.0f} s")
    print(f"selection_compute (5,000 students, 50,000 applications, DB in and out): "
          f"{bench_compute_service():.2f} s")

    from accounts.models import User
    from projects.models import Project, Studio

    student = User.objects.get(username="bench1")
    hr = User.objects.get(username="bench_hr")
    studio = Studio.objects.get(code="bench-studio-0")
    print(f"\n{User.objects.filter(role='student').count()} students, {Project.objects.count()} projects\n")
    print("| page | user | p50 ms | p95 ms | queries |")
    print("|---|---|---|---|---|")
    for path, user, label in (("/projects/list/", student, "student"), ("/projects/list/", hr, "enterprise"),
                              ("/projects/list/?status=open&page=40", student, "student"),
                              ("/api/v1/projects/", student, "student"),
                              (f"/projects/studios/{studio.pk}/", student, "student"),
                              ("/bench/plain/", student, "floor: a plain 50-row page")):
        p50, p95, queries = measure(path, user, args.requests)
        print(f"| `{path}` | {label} | {p50:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    main()
