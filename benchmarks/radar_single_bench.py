"""The synchronous radar recompute of one student after a grade change, on a small
PostgreSQL dataset (1,000 students × 20 courses by default, built by radar_bench's
builder into its own database). Prints the median and p95 of 60 runs; asserts nothing.

    python benchmarks/radar_single_bench.py [--build] [--root DIR]

--build (re)creates the data; --root runs the code of another checkout (for example an
older commit exported with `git archive`) against the same database, to compare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1]))
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--courses", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_radar_single")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings.test")
    os.chdir(args.root)
    sys.path.insert(0, args.root)
    from benchmarks.radar_bench import ensure_database

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    if args.build:
        from benchmarks.radar_bench import build

        call_command("migrate", verbosity=0)
        build(args.students, args.courses)
    from students.models import StudentProfile

    try:
        from students.radar.services import radar_recompute_student
    except ImportError:  # before the architecture pass
        from students.radar import radar_recompute_student
    student = StudentProfile.objects.order_by("pk")[StudentProfile.objects.count() // 2]

    def once() -> None:
        with transaction.atomic():  # as inside the grade change's transaction
            radar_recompute_student(student=student)
            transaction.set_rollback(True)

    for _ in range(5):
        once()
    runs = []
    for _ in range(60):
        t = time.perf_counter()
        once()
        runs.append(time.perf_counter() - t)
    runs.sort()
    print(f"recompute one student: median {statistics.median(runs) * 1000:.1f} ms, "
          f"p95 {runs[int(len(runs) * .95)] * 1000:.1f} ms   ({args.root})")


if __name__ == "__main__":
    main()
