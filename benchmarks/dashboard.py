"""School dashboard benchmark (issue 15): every dashboard page and API on PostgreSQL with a large
school, p95 warm (figures cached) and cold (cache cleared before each request), and the query
count of each beside its target.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_bench_dashboards \\
        python benchmarks/dashboard.py [--students 100000] [--requests 20] [--cold 10] [--skip-build]

The school: the radar benchmark's students and grades (benchmarks/radar_bench.py: students ×
--courses grades, default 10 → 1,000,000 grades at 100,000 students) spread over 5 majors and
4 intake years, 7 attainments per student, 200,000 applications, competition awards, evaluation
rounds, delivered projects with teams, studios, order classes, ventures, rooms with 20,000
bookings and service records, and 50,000 internship placements (over the 60 enterprises, with
mentors and tutors, this year and last). Uses its own database (created and migrated when
missing; rebuilt unless --skip-build). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_dashboards")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))

from benchmarks.radar_bench import ensure_database  # noqa: E402

YEAR = 2026
MAJORS = 5


def build(students: int, courses: int, applications: int, seed: int = 15) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Membership, Organization, Role, User
    from admin_portal.models import Booking, Room, ServiceRecord
    from benchmarks.radar_bench import build as radar_build
    from enterprises.internships.models import Placement
    from enterprises.models import Application, Posting
    from evaluations.defaults import default_templates_ensure
    from evaluations.models import Result, Round
    from projects.models import (
        OrderClass,
        OrderClassMember,
        Project,
        Studio,
        StudioMember,
        Team,
        TeamMember,
        Venture,
    )
    from students.models import Competition, CompetitionEntry, StudentProfile
    from teachers.models import Competency, Major, SchoolClass

    rng = random.Random(seed)
    with connection.cursor() as cur:  # what depends on the radar benchmark's school goes first
        cur.execute("UPDATE evaluations_round SET current_result_id = NULL")
        for table in ("enterprises_placement", "admin_portal_booking", "admin_portal_servicerecord", "admin_portal_room",
                      "evaluations_result", "evaluations_round", "evaluations_dimensioncompetency",
                      "evaluations_rubriccriterion", "evaluations_rubricdimension", "evaluations_rubricparty",
                      "evaluations_rubrictemplate", "enterprises_application",
                      "enterprises_posting_majors", "enterprises_posting", "students_competitionentry",
                      "students_competition", "projects_venture", "projects_teammember", "projects_project",
                      "projects_team", "projects_studiomember", "projects_studio", "projects_orderclassmember",
                      "projects_orderclass"):
            cur.execute(f"DELETE FROM {table}")
    Organization.objects.filter(code__startswith="bench-").delete()
    t = time.perf_counter()
    radar_build(students, courses)
    print(f"  students and grades: {time.perf_counter() - t:.0f}s")
    bench = Major.objects.get(code="bench")
    majors = [bench] + [Major.objects.create(code=f"bench-m{i}", name=f"基准专业{i}", name_en=f"Bench major {i}")
                        for i in range(1, MAJORS)]
    for major in majors[1:]:
        Competency.objects.bulk_create([Competency(major=major, code=f"k{i}", name=f"能力{i}", order=i)
                                        for i in range(7)])
    with connection.cursor() as cur:
        ids = ",".join(str(m.pk) for m in majors)
        cur.execute(f"""UPDATE teachers_schoolclass SET major_id = (ARRAY[{ids}])[(id % {MAJORS}) + 1],
                        intake_year = 2023 + (id / {MAJORS}) % 4 WHERE code LIKE 'bench-%%'""")
        cur.execute("""UPDATE students_studentprofile p SET major_id = c.major_id, intake_year = c.intake_year
                       FROM teachers_schoolclass c WHERE c.id = p.school_class_id""")
        cur.execute("""INSERT INTO students_competencyattainment (student_id, competency_id, attainment, earned,
                         possible, updated_at)
                       SELECT p.id, k.id, random(), 0, 0, now() FROM students_studentprofile p
                       JOIN teachers_competency k ON k.major_id = p.major_id""")
    # The raw SQL above went around the radar services: bring the per-cohort sums in step.
    from students.radar.cohort_sums import cohort_sums_refresh

    cohort_sums_refresh()
    profiles = list(StudentProfile.objects.values_list("pk", "user_id"))
    t = time.perf_counter()
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": Role.SCHOOL_ADMIN})
    teachers = User.objects.bulk_create([User(username=f"bench_t{i:03d}", role=Role.TEACHER, password="!")
                                         for i in range(300)])
    enterprises = Organization.objects.bulk_create([
        Organization(kind=Organization.Kind.ENTERPRISE, code=f"bench-e{i}", name=f"基准企业{i}") for i in range(60)])
    hr = User.objects.create(username="bench_hr", role=Role.ENTERPRISE)
    Membership.objects.create(organization=enterprises[0], user=hr)
    # 200,000 applications to 100 postings
    postings = Posting.objects.bulk_create([
        Posting(organization=enterprises[i % 60], created_by=hr, title=f"岗位{i}", deadline=datetime.date(YEAR, 12, 31),
                status=Posting.Status.PUBLISHED if i % 10 else Posting.Status.SUBMITTED) for i in range(100)])
    pairs = set()
    while len(pairs) < min(applications, len(profiles) * 100):
        pairs.add((rng.randrange(len(postings)), rng.randrange(len(profiles))))
    Application.objects.bulk_create([Application(posting=postings[p], student_id=profiles[s][0])
                                     for p, s in pairs], batch_size=10000)
    # competitions and awards
    comps = Competition.objects.bulk_create([
        Competition(name=f"竞赛{i}", level=("school", "provincial", "national")[i % 3],
                    held_on=datetime.date(YEAR - i % 2, 1 + i % 12, 10)) for i in range(30)])
    sample = rng.sample(profiles, min(30000, len(profiles)))
    CompetitionEntry.objects.bulk_create([
        CompetitionEntry(competition=comps[i % 30], student_id=pk, rank=("first", "second", "third", "participation")[i % 4],
                         status="verified" if i % 5 else "pending") for i, (pk, _u) in enumerate(sample)],
        batch_size=10000)
    # evaluation rounds with results
    template = next(iter(default_templates_ensure(actor=admin, major=bench).values()))
    ct = ContentType.objects.get_for_model(Organization)
    when = timezone.make_aware(datetime.datetime(YEAR, 5, 1))
    rounds = Round.objects.bulk_create([
        Round(template=template, subject_type=ct, subject_id=1, subject_kind="bench", subject_title="bench",
              student_id=pk, status="finalised", deadline=when, finalised_at=when)
        for pk, _u in rng.sample(profiles, min(20000, len(profiles)))], batch_size=10000)
    results = Result.objects.bulk_create([Result(round=r, final=rng.uniform(60, 100)) for r in rounds], batch_size=10000)
    for r, res in zip(rounds, results, strict=True):
        r.current_result = res
    Round.objects.bulk_update(rounds, ["current_result"], batch_size=10000)
    # teams, delivered projects, ventures, studios, order classes
    teams = Team.objects.bulk_create([Team(name=f"队{i}", created_by=hr) for i in range(2000)])
    members = []
    team_sample = rng.sample(profiles, min(6000, len(profiles)))
    for i, team in enumerate(teams):
        members += [TeamMember(team=team, user_id=team_sample[(3 * i + j) % len(team_sample)][1]) for j in range(3)]
        members.append(TeamMember(team=team, user=teachers[i % 300], role=TeamMember.Role.TEACHER))
    TeamMember.objects.bulk_create(members, batch_size=10000, ignore_conflicts=True)
    now = timezone.now()
    Project.objects.bulk_create([
        Project(enterprise=enterprises[i % 60], created_by=hr, title=f"项目{i}", brief="b", deliverables="d",
                reward_points=100, bid_deadline=now, due_date=now.date(), team_size_max=4, selected_team=teams[i],
                status=("completed", "delivered", "in_progress", "pending")[i % 4],
                delivered_at=timezone.make_aware(datetime.datetime(YEAR - (i % 8 == 0), 1 + i % 11, 5)))
        for i in range(2000)], batch_size=5000)
    Venture.objects.bulk_create([Venture(team=teams[i], business="b", mentor=hr) for i in range(0, 2000, 10)])
    studios = Studio.objects.bulk_create([Studio(code=f"bench-s{i}", skill_area="marketing", title=f"工作室{i}")
                                          for i in range(20)])
    StudioMember.objects.bulk_create([
        StudioMember(studio=studios[i % 20], user_id=u, role="student", status="admitted")
        for i, (_pk, u) in enumerate(rng.sample(profiles, min(5000, len(profiles))))], batch_size=10000)
    order_classes = OrderClass.objects.bulk_create([
        OrderClass(title=f"订单班{i}", enterprise=enterprises[i], major=majors[i % MAJORS], intake_year=2024 + i % 3,
                   capacity=60, criteria="c", created_by=hr) for i in range(50)])
    OrderClassMember.objects.bulk_create([
        OrderClassMember(order_class=order_classes[i % 50], student_id=pk)
        for i, (pk, _u) in enumerate(rng.sample(profiles, min(2500, len(profiles))))], batch_size=10000)
    # rooms, 20,000 bookings, service records
    rooms = Room.objects.bulk_create([Room(code=f"bench-r{i}", name=f"实训室{i}") for i in range(40)])
    classes = list(SchoolClass.objects.values_list("pk", flat=True)[:500])
    bookings = []
    start = timezone.make_aware(datetime.datetime(YEAR, 1, 5, 8))
    for i in range(20000):
        s = start + datetime.timedelta(days=(i // 40) % 330, hours=2 * ((i // 40) // 330))
        bookings.append(Booking(room=rooms[i % 40], booked_by=teachers[i % 300], school_class_id=classes[i % len(classes)],
                                starts_at=s, ends_at=s + datetime.timedelta(hours=2), minutes=120))
    Booking.objects.bulk_create(bookings, batch_size=10000)
    ServiceRecord.objects.bulk_create([
        ServiceRecord(kind="consultancy" if i % 2 else "technical_service", teacher=teachers[i % 300],
                      enterprise=enterprises[i % 60], provided_on=datetime.date(YEAR, 1 + i % 12, 1), title="s")
        for i in range(500)])
    # 50,000 internship placements: half this year (active or finished), half last year
    statuses = (Placement.Status.ACTIVE, Placement.Status.FINISHED, Placement.Status.FINISHED, Placement.Status.PLANNED)
    Placement.objects.bulk_create([
        Placement(student_id=pk, organization=enterprises[i % 60], mentor=hr, tutor=teachers[i % 300],
                  title=f"实习岗位{i % 100}", starts_on=datetime.date(YEAR - i % 2, 3, 1),
                  ends_on=datetime.date(YEAR - i % 2, 6, 30), status=statuses[i % 4])
        for i, (pk, _u) in enumerate(rng.sample(profiles, min(50000, len(profiles))))], batch_size=10000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"  the rest of the school: {time.perf_counter() - t:.0f}s")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=100000)
    parser.add_argument("--courses", type=int, default=10)
    parser.add_argument("--applications", type=int, default=200000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import platform_site.wsgi  # noqa: F401 - what a gunicorn worker loads (URLconf imported, start-up frozen)

    call_command("migrate", verbosity=0)
    settings.DASHBOARD_CACHE_SECONDS = 300
    if not args.skip_build:
        t = time.perf_counter()
        build(args.students, args.courses, args.applications)
        print(f"built in {time.perf_counter() - t:.0f}s")
    from accounts.models import User
    from admin_portal.models import Booking
    from enterprises.internships.models import Placement
    from enterprises.models import Application
    from students.models import StudentProfile
    from teachers.models import Enrolment, SchoolClass

    admin = User.objects.get(username="bench_admin")
    klass = SchoolClass.objects.filter(major__code="bench").order_by("pk").first()
    print(f"PostgreSQL {connection.pg_version}: {StudentProfile.objects.count():,} students, "
          f"{Enrolment.objects.count():,} grades, {Application.objects.count():,} applications, "
          f"{Booking.objects.count():,} bookings, {Placement.objects.count():,} placements")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    client = Client()
    client.force_login(admin)
    targets = "p95 warm ≤ 150 ms, cold ≤ 1000 ms, constant queries"
    pages = [
        ("dashboard, school", "/school/figures/", {"year": YEAR}),
        ("dashboard, major", "/school/figures/", {"year": YEAR, "major": "bench"}),
        ("dashboard, class", "/school/figures/", {"year": YEAR, "major": "bench", "class": klass.pk}),
        ("drill-down, school → majors", "/school/figures/kpi/students/", {"year": YEAR}),
        ("drill-down, class → students", "/school/figures/kpi/competition_awards/",
         {"year": YEAR, "major": "bench", "class": klass.pk}),
        ("API kpis, school", "/api/v1/dashboard/kpis/", {"year": YEAR}),
        ("API kpis, major", "/api/v1/dashboard/kpis/", {"year": YEAR, "major": "bench"}),
        ("API targets", "/api/v1/dashboard/targets/", {"year": YEAR}),
        ("targets page", "/school/targets/", {"year": YEAR}),
        ("equipment page", "/school/equipment/", {}),
        ("moderation page", "/school/moderation/", {}),
        ("audit log page", "/school/audit-log/", {}),
        ("XLSX kpis", "/school/figures/export/kpis.xlsx", {"year": YEAR}),
    ]
    print(f"{'page':<32} {'warm p95':>9} {'cold p95':>9} {'queries':>8}   target: {targets}")
    for label, url, params in pages:
        # One untimed request first: the process's first render of a page compiles its templates
        # and imports what it uses (a worker pays that once); "cold" is the figures' cache, cleared
        # before each timed request.
        client.get(url, params)
        cold = []
        for _ in range(args.cold):
            cache.clear()
            t = time.perf_counter()
            response = client.get(url, params)
            cold.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        warm = []
        for _ in range(args.requests):
            t = time.perf_counter()
            client.get(url, params)
            warm.append(time.perf_counter() - t)
        cache.clear()
        # Counted on this connection: cold figures computed side by side run on other connections.
        workers, settings.DASHBOARD_QUERY_WORKERS = settings.DASHBOARD_QUERY_WORKERS, 1
        with CaptureQueriesContext(connection) as cold_queries:
            client.get(url, params)
        settings.DASHBOARD_QUERY_WORKERS = workers
        print(f"{label:<32} {p95(warm) * 1000:7.0f}ms {p95(cold) * 1000:7.0f}ms {len(queries.captured_queries):>4}/"
              f"{len(cold_queries.captured_queries):<4}  (warm/cold queries)")
    from admin_portal.selectors import dashboard_figures_warm

    cache.clear()
    t = time.perf_counter()
    computed = dashboard_figures_warm(YEAR)
    print(f"{'beat warm-up task (all figures)':<32} {'':>9} {(time.perf_counter() - t) * 1000:7.0f}ms   "
          f"{computed} figure sets in 2 languages (runs every 240 s; no target)")
    cache.clear()
    t = time.perf_counter()
    response = client.get("/school/figures/report.pdf", {"year": YEAR})
    print(f"{'PDF report (cold, once)':<32} {'':>9} {(time.perf_counter() - t) * 1000:7.0f}ms   "
          f"{len(response.content) // 1024} KiB (no target)")


if __name__ == "__main__":
    main()
