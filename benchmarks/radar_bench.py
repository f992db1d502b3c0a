"""Radar benchmark: 10,000 students × 40 graded courses (400,000 grades) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_bench_radar \\
        python benchmarks/radar_bench.py [--students 10000] [--courses 40]

Uses its own database (created and migrated when missing; the data is rebuilt each
run). Prints each figure next to its target; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_radar")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings.test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the project root is the import root


def ensure_database(url: str) -> None:
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(url)
    conn = psycopg2.connect(dbname="postgres", user=cfg["USER"], password=cfg["PASSWORD"] or None,
                            host=cfg["HOST"], port=cfg["PORT"] or 5432)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    conn.close()


def build(students: int, courses: int, seed: int = 1) -> None:
    import numpy as np
    from django.db import connection

    from accounts.models import Role, User
    from students.models import CompetencyAttainment, StudentProfile, StudentRadar
    from teachers.models import (
        Competency,
        Course,
        CourseCompetencyWeight,
        CourseOffering,
        Enrolment,
        GradeChange,
        Major,
        Program,
        ProgramCourse,
        SchoolClass,
        Term,
    )

    for model in (GradeChange, Enrolment, CourseOffering, CompetencyAttainment, StudentRadar, StudentProfile,
                  CourseCompetencyWeight, ProgramCourse, Program, SchoolClass, Course, Competency, Major, Term):
        model.objects.all().delete()
    User.objects.filter(username__startswith="bench").delete()
    rng = np.random.default_rng(seed)
    major = Major.objects.create(code="bench", name="基准专业", name_en="Benchmark major")
    comps = Competency.objects.bulk_create([
        Competency(major=major, code=f"k{i}", name=f"能力{i}", name_en=f"Competency {i}", order=i) for i in range(7)
    ])
    program = Program.objects.create(major=major, intake_year=2023, name="基准方案")
    course_objs = Course.objects.bulk_create([Course(code=f"BEN{i:03d}", name=f"课程{i}", major=major) for i in range(courses)])
    pcs = ProgramCourse.objects.bulk_create([
        ProgramCourse(program=program, course=c, credits=int(rng.integers(1, 6)), semester=i * 6 // courses + 1)
        for i, c in enumerate(course_objs)
    ])
    weights = []
    for pc in pcs:
        for k in rng.choice(7, size=int(rng.integers(1, 4)), replace=False):
            weights.append(CourseCompetencyWeight(program_course=pc, competency=comps[int(k)],
                                                  weight=float(rng.integers(1, 11)) / 10))
    CourseCompetencyWeight.objects.bulk_create(weights)
    terms = [Term.objects.create(code=f"{2023 + i // 2}-{2024 + i // 2}-{i % 2 + 1}", start_year=2023 + i // 2,
                                 number=i % 2 + 1, starts_on=f"{2023 + i // 2}-09-01", ends_on=f"{2024 + i // 2}-01-20")
             for i in range(6)]
    teacher = User.objects.create(username="bench_teacher", role=Role.TEACHER)
    users = User.objects.bulk_create([User(username=f"bench{i:05d}", role=Role.STUDENT, password="!")
                                      for i in range(students)], batch_size=5000)
    class_size = 40
    classes = SchoolClass.objects.bulk_create([
        SchoolClass(major=major, intake_year=2023, code=f"bench-{i:04d}", name=f"基准{i}班", head_teacher=teacher)
        for i in range(-(-students // class_size))
    ])
    StudentProfile.objects.bulk_create([
        StudentProfile(user=u, student_number=f"2023{i:06d}", major=major, school_class=classes[i // class_size],
                       intake_year=2023) for i, u in enumerate(users)
    ], batch_size=5000)
    offerings = CourseOffering.objects.bulk_create([
        CourseOffering(course=c, term=terms[pc.semester - 1], school_class=cls, teacher=teacher)
        for cls in classes for c, pc in zip(course_objs, pcs, strict=True)
    ], batch_size=5000)
    offering_index = {(o.school_class_id, o.course_id): o.pk for o in offerings}
    ability = rng.normal(75, 8, size=students)
    scores = np.clip(ability[:, None] + rng.normal(0, 8, size=(students, courses)), 0, 100).round(1)
    buffer = io.StringIO()
    for i, u in enumerate(users):
        cls_id = classes[i // class_size].pk
        row = scores[i]
        buffer.writelines(f"{offering_index[(cls_id, c.pk)]},{u.pk},{row[j]:.1f}\n" for j, c in enumerate(course_objs))
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {Enrolment._meta.db_table} (offering_id, student_id, score) FROM STDIN WITH (FORMAT csv)", buffer)
        cursor.execute("ANALYZE")


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=10000)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    call_command("migrate", verbosity=0)
    # Tasks are queued, not run in the request (the test settings run them eagerly):
    # chart renders belong to the worker and are measured separately below.
    from platform_site.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    from students.models import StudentProfile
    from students.radar import charts
    from students.radar.services import radar_recompute, radar_recompute_student
    from teachers.models import Enrolment
    from teachers.services import grade_set

    if not args.skip_build:
        t = time.perf_counter()
        build(args.students, args.courses)
        print(f"built {args.students} students × {args.courses} courses in {time.perf_counter() - t:.1f}s")
    grades = Enrolment.objects.filter(score__isnull=False).count()
    print(f"PostgreSQL {connection.pg_version}, {grades:,} grades, {StudentProfile.objects.count():,} students\n")

    def recompute_after(sql: str | None, label: str, repeat: int = 1) -> None:
        runs, last = [], None
        for _ in range(repeat):
            if sql:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
            t = time.perf_counter()
            last = radar_recompute()
            runs.append(time.perf_counter() - t)
        print(f"recompute every radar, one pass: {label:<26} median {statistics.median(runs) * 1000:6.0f} ms"
              f"   target ≤ 2000 ms   [" + ", ".join(f"{k} {v * 1000:.0f}" for k, v in last.timings.items()) + "]")

    ca, sr = StudentProfile.attainments.rel.related_model._meta.db_table, "students_studentradar"
    recompute_after(f"TRUNCATE {ca}, {sr}", "empty table (first run)", 3)
    recompute_after(None, "nothing changed", 5)
    recompute_after("UPDATE teachers_enrolment SET score = LEAST(100, score + 1) WHERE id % 10 = 0",
                    "10% of grades changed", 3)
    recompute_after("UPDATE teachers_enrolment SET score = 100 - score", "every grade changed", 3)

    student = StudentProfile.objects.select_related("user").order_by("pk")[args.students // 2]
    enrolment = Enrolment.objects.filter(student=student.user).first()
    teacher = enrolment.offering.teacher
    def in_grade_transaction():
        # As in a grade change: inside its transaction, whose commit is counted below.
        with transaction.atomic():
            radar_recompute_student(student=student)
            transaction.set_rollback(True)
    single = timed(in_grade_transaction, 100)
    print(f"recompute one student after a grade change  median {statistics.median(single) * 1000:6.1f} ms   "
          f"p95 {sorted(single)[int(len(single) * .95)] * 1000:.1f} ms   target ≤ 20 ms")

    values = iter([50 + i % 50 for i in range(1000)])

    def change():
        with transaction.atomic():
            grade_set(actor=teacher, enrolment=enrolment, score=next(values), reason="benchmark")
    change_runs = timed(change, 30)
    print(f"whole grade change (grade_set)              median {statistics.median(change_runs) * 1000:6.1f} ms   "
          f"(validation, audit trail, radar, commit; no target)")

    client = Client()
    client.force_login(teacher)
    url = f"/api/v1/students/{student.student_number}/radar/"
    assert client.get(url).status_code == 200
    api = timed(lambda: client.get(url), args.requests)
    api_sorted = sorted(api)
    print(f"radar API, one student                      p50 {statistics.median(api) * 1000:8.1f} ms   "
          f"p95 {api_sorted[int(len(api) * .95)] * 1000:.1f} ms   (no target; {args.requests} requests)")

    data = charts.student_chart_data(student=student, kind="radar")
    charts.render(data, "png")  # import matplotlib and load the font once, as a warm worker has
    png = timed(lambda: charts.render(data, "png"), 20)
    svg = timed(lambda: charts.render(data, "svg"), 20)
    print(f"render one radar image, PNG                 median {statistics.median(png) * 1000:8.1f} ms   target ≤ 150 ms")
    print(f"render one radar image, SVG                 median {statistics.median(svg) * 1000:8.1f} ms   target ≤ 150 ms")


if __name__ == "__main__":
    main()
