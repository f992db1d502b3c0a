"""Teachers benchmark (issue 14): the reform impact preview for a cohort of 2,000 students
(target ≤ 2 s) and resource search over 50,000 resources (target p95 ≤ 150 ms, warm).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_bench_teachers \\
        python benchmarks/teachers_bench.py [--students 2000] [--resources 50000]

Uses its own database (created and migrated when missing; the data is rebuilt each run).
Prints each figure next to its target; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_teachers")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings.test")
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))

WORDS = ["直播", "运营", "数据", "营销", "案例", "课件", "视频", "店铺", "客服", "美工", "short-video", "dashboard",
         "campaign", "python", "spark", "crawler", "photoshop", "cross-border", "community", "analysis"]


def build(students: int, resources: int, seed: int = 7):
    import datetime
    import random

    from django.db import connection

    from accounts.models import Role, User
    from teachers.models import (
        Competency,
        Course,
        CourseCompetencyWeight,
        CourseOffering,
        Enrolment,
        Major,
        Program,
        ProgramCourse,
        Reform,
        Resource,
        SchoolClass,
        Term,
    )

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE teachers_major, teachers_term, accounts_user RESTART IDENTITY CASCADE")
    teacher = User.objects.create(username="bench_teacher", role=Role.TEACHER)
    major = Major.objects.create(code="bench", name="基准专业")
    comps = [Competency.objects.create(major=major, code=f"c{i}", name=f"能力{i}", order=i) for i in range(7)]
    program = Program.objects.create(major=major, intake_year=2024, name="基准方案")
    courses = [Course.objects.create(code=f"B{i:03d}", name=f"课程{i}", major=major) for i in range(22)]
    course = courses[0]
    course.owners.add(teacher)
    pcs = ProgramCourse.objects.bulk_create([ProgramCourse(program=program, course=c, credits=rng.choice([2, 3, 4]),
                                                           semester=1 + i % 6) for i, c in enumerate(courses)])
    CourseCompetencyWeight.objects.bulk_create([
        CourseCompetencyWeight(program_course=pc, competency=comp, weight=rng.choice([0.3, 0.5, 1]))
        for pc in pcs for comp in rng.sample(comps, 2)])
    terms = [Term.objects.create(code=f"2024-{n}", start_year=2024, number=n, starts_on=datetime.date(2024, 9, 1),
                                 ends_on=datetime.date(2025, 1, 20)) for n in (1, 2)]
    users = User.objects.bulk_create([User(username=f"bs{i:06d}", role=Role.STUDENT) for i in range(students)])
    classes = SchoolClass.objects.bulk_create([SchoolClass(major=major, intake_year=2024, code=f"bc{i}", name=f"班{i}")
                                               for i in range(-(-students // 40))])
    offerings = CourseOffering.objects.bulk_create([
        CourseOffering(course=c, term=terms[i % 2], school_class=k, teacher=teacher)
        for k in classes for i, c in enumerate(courses[:16])])
    by_class: dict[int, list] = {}
    for o in offerings:
        by_class.setdefault(o.school_class_id, []).append(o)
    rows = []
    for i, user in enumerate(users):
        for o in by_class[classes[i // 40].pk]:
            rows.append(Enrolment(offering=o, student=user, score=round(rng.uniform(40, 100), 1)))
    Enrolment.objects.bulk_create(rows, batch_size=10000)
    reform = Reform.objects.create(course=course, proposer=teacher, title="bench", credits=5,
                                   weights={"c0": "1", "c3": "0.8"}, status=Reform.Status.REVIEW)
    partners = User.objects.create(username="bench_partner", role=Role.ENTERPRISE)
    kinds, vis = list(Resource.Kind.values), list(Resource.Visibility.values)
    items = []
    for i in range(resources):
        title, description = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}", " ".join(rng.sample(WORDS, 6))
        items.append((title, description, f"{title}\n{description}\n{i}.pdf".lower()))
    Resource.objects.bulk_create([
        Resource(title=title, description=description, search_text=search_text,
                 kind=rng.choice(kinds), visibility=rng.choice(vis), course=rng.choice(courses), major=major,
                 file=f"resources/bench/{i}.pdf", original_name=f"{i}.pdf", content_type="application/pdf",
                 size=1000, sha256="0" * 64, uploaded_by=teacher if i % 3 else partners,
                 downloads=rng.randint(0, 500), rating_sum=rng.randint(0, 50), rating_count=rng.randint(0, 10))
        for i, (title, description, search_text) in enumerate(items)], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"program": program, "reform": reform, "teacher": teacher, "partner": partners, "rows": len(rows)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--resources", type=int, default=50000)
    args = parser.parse_args()
    from benchmarks.radar_bench import ensure_database

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    world = build(args.students, args.resources)
    print(f"built {args.students} students, {world['rows']} grades, {args.resources} resources "
          f"in {time.perf_counter() - started:.1f}s")

    from teachers.reform.impact import reform_impact_preview
    from teachers.resources.selectors import CappedPaginator, resources_for_user

    times = []
    for _ in range(7):
        t = time.perf_counter()
        preview = reform_impact_preview(reform=world["reform"], program=world["program"])
        times.append(time.perf_counter() - t)
    print(f"impact preview, cohort of {preview.cohort_size}: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms (target ≤ 2000 ms)")

    import random

    rng = random.Random(3)
    queries = []
    for _ in range(120):
        queries.append({"q": rng.choice(WORDS), "kind": rng.choice(["", "case", "video", "dataset", "courseware"]),
                        "order": rng.choice(["new", "downloads", "rating"])})
    for user_key in ("teacher", "partner"):
        user = world[user_key]
        timings = []
        for i, params in enumerate(queries):
            t = time.perf_counter()
            page_obj = CappedPaginator(resources_for_user(user=user, **params), 24).get_page(1)
            total, page = page_obj.paginator.count, list(page_obj.object_list)
            elapsed = time.perf_counter() - t
            if i >= 20:  # the first 20 warm the caches
                timings.append(elapsed)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"resource search as {user_key} over {args.resources}: median {statistics.median(timings) * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms (target ≤ 150 ms; count + first page of 24, last page had {len(page)} of "
              f"{total})")


if __name__ == "__main__":
    main()
