"""Evaluations benchmark: finalise 10,000 rounds (4 parties, 8 raters each) in one worker,
the result API's p95, and the radar bulk recompute with practice inputs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_bench_evaluations \\
        python benchmarks/evaluations_bench.py [--rounds 10000] [--api-requests 300] [--reuse --skip-followup]

Uses its own database (created and migrated when missing; the evaluation data is rebuilt
each run, or with `--reuse` the rounds of the last run are reopened). Prints each figure next to its target; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/chanjiao_bench_evaluations")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.chdir(ROOT)
sys.path.insert(0, str(ROOT))

from benchmarks.radar_bench import ensure_database  # noqa: E402

PEERS = 5  # + teacher, mentor, master = 8 raters per round; 5 peers exercise the trimmed mean


def build(rounds: int, courses: int, seed: int = 7) -> list[int]:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Role, User
    from benchmarks.radar_bench import build as radar_build
    from evaluations.defaults import default_templates_ensure
    from evaluations.models import Invitation, PracticeActivity, Result, Round, Submission
    from students.models import StudentProfile
    from teachers.models import Major

    rng = random.Random(seed)
    with connection.cursor() as cur:
        for table in ("evaluations_reward", "evaluations_appeal", "students_practiceevidence"):
            cur.execute(f"DELETE FROM {table}")
        cur.execute("UPDATE evaluations_round SET current_result_id = NULL")
        for table in ("evaluations_result", "evaluations_submission", "evaluations_invitation", "evaluations_round",
                      "evaluations_dimensioncompetency", "evaluations_rubriccriterion", "evaluations_rubricdimension",
                      "evaluations_rubricparty", "evaluations_rubrictemplate"):
            cur.execute(f"DELETE FROM {table}")
    # The radar benchmark's school: 10,000 students of one major, 40 weighted courses, 400,000 grades.
    radar_build(rounds, courses)
    major = Major.objects.get(code="bench")
    profiles = list(StudentProfile.objects.filter(major=major).order_by("pk").values_list("pk", "user_id")[:rounds])
    staff = {}
    for role, name in ((Role.TEACHER, "bev_teacher"), (Role.ENTERPRISE, "bev_mentor"), (Role.INDUSTRY, "bev_master")):
        staff[role], _ = User.objects.get_or_create(username=name, defaults={"role": role})
    admin, _ = User.objects.get_or_create(username="bev_admin", defaults={"role": Role.SCHOOL_ADMIN})
    template = default_templates_ensure(actor=admin, major=major)["four"]
    dimensions = [(d.code, [c.code for c in d.criteria.all()], float(d.weight)) for d in template.dimensions.all()]
    activity, _ = PracticeActivity.objects.get_or_create(kind="internship", title="bench internship")
    content_type = ContentType.objects.get_for_model(PracticeActivity)
    deadline = timezone.now() - datetime.timedelta(minutes=1)
    round_rows = Round.objects.bulk_create([
        Round(template=template, subject_type=content_type, subject_id=activity.pk, subject_kind="internship",
              subject_title=activity.title, student_id=pk, status=Round.Status.OPEN, deadline=deadline,
              opened_at=deadline - datetime.timedelta(days=14)) for pk, _user in profiles], batch_size=5000)
    invitations = []
    n = len(profiles)
    for i, round_ in enumerate(round_rows):
        invitations += [Invitation(round=round_, rater=staff[Role.TEACHER], party="teacher", submitted_at=deadline),
                        Invitation(round=round_, rater=staff[Role.ENTERPRISE], party="mentor", submitted_at=deadline),
                        Invitation(round=round_, rater=staff[Role.INDUSTRY], party="master", submitted_at=deadline)]
        invitations += [Invitation(round=round_, rater_id=profiles[(i + j) % n][1], party="peer",
                                   submitted_at=deadline) for j in range(1, PEERS + 1)]
    invitations = Invitation.objects.bulk_create(invitations, batch_size=10000)
    submissions = []
    for invitation in invitations:
        ability = rng.uniform(55, 95)
        criteria, dims = {}, {}
        for code, crits, _w in dimensions:
            values = [min(100, max(0, rng.gauss(ability, 8))) for _ in crits]
            criteria.update({f"{code}.{c}": round(v, 1) for c, v in zip(crits, values, strict=True)})
            dims[code] = round(sum(values) / len(values), 2)
        total = sum(w * dims[code] for code, _c, w in dimensions)
        submissions.append(Submission(invitation=invitation, criterion_scores=criteria, dimension_scores=dims,
                                      total=round(total, 4)))
    Submission.objects.bulk_create(submissions, batch_size=10000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    assert not Result.objects.exists()
    return [r.pk for r in round_rows]


def reset(rounds: int) -> list[int]:
    """`--reuse`: the rounds of an earlier build back to open (results, rewards and appeals
    deleted), so that a rerun skips the build (about a minute); practice evidence stays."""
    from django.db import connection

    from evaluations.models import Round

    with connection.cursor() as cur:
        cur.execute("DELETE FROM evaluations_reward")
        cur.execute("DELETE FROM evaluations_appeal")
        cur.execute("UPDATE evaluations_round SET current_result_id = NULL, status = 'open', finalised_at = NULL, "
                    "appeal_closes_at = NULL")
        cur.execute("DELETE FROM evaluations_result")
        for table in ("evaluations_round", "evaluations_result", "evaluations_submission", "evaluations_invitation"):
            cur.execute(f"VACUUM ANALYZE {table}")
    ids = list(Round.objects.order_by("pk").values_list("pk", flat=True))
    return ids if len(ids) == rounds else []


def bench_finalise(round_ids: list[int]) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from evaluations.models import Round
    from evaluations.tasks import rounds_finalise_due_task

    reverse("evaluations:home")  # a warm worker: the URL resolver is loaded once per process, not per task
    reset_queries()
    started, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        report = rounds_finalise_due_task()  # the beat task, in this one process
    elapsed = time.perf_counter() - started
    finalised = Round.objects.filter(pk__in=round_ids, status=Round.Status.FINALISED).count()
    print(f"finalise {len(round_ids):,} rounds × 8 raters (beat task, one worker): {elapsed:.2f} s wall, "
          f"{time.process_time() - cpu:.2f} s CPU in the worker "
          f"[target ≤ 10 s]; {finalised:,} finalised, report {report}; {len(queries)} queries")


def bench_followup_and_radar(round_ids: list[int], followup: bool = True) -> None:
    from evaluations.finalisation import rounds_finalised_followup
    from students.services import radar_recompute

    if followup:
        started, cpu = time.perf_counter(), time.process_time()
        written = rounds_finalised_followup(round_ids=round_ids)
        print(f"follow-up task (10,000 notifications, practice evidence, radar recompute of the 10,000): "
              f"{time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU; "
              f"{written:,} evidence rows")
    else:
        radar_recompute(student_ids=None)  # warm (pandas imported), as after the follow-up
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        result = radar_recompute(student_ids=None)
        timings.append(time.perf_counter() - started)
    print(f"radar bulk recompute with practice inputs, {result.students:,} students: best {min(timings):.2f} s, "
          f"runs {', '.join(f'{t:.2f}' for t in timings)} s [target ≤ 2.5 s]; phases {result.timings}")


def bench_result_api(round_ids: list[int], requests: int) -> None:
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bev_admin"))
    rng = random.Random(3)
    sample = [rng.choice(round_ids) for _ in range(requests)]
    for round_id in sample[:20]:  # warm up
        client.get(f"/api/v1/evaluations/rounds/{round_id}/result/")
    timings = []
    for round_id in sample:
        started = time.perf_counter()
        response = client.get(f"/api/v1/evaluations/rounds/{round_id}/result/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:200]
    timings.sort()
    p95 = timings[int(0.95 * len(timings)) - 1]
    print(f"result API over {requests} requests: median {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms [target ≤ 50 ms]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10_000)
    parser.add_argument("--api-requests", type=int, default=300)
    parser.add_argument("--courses", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="reopen the rounds of an earlier run instead of building")
    parser.add_argument("--skip-followup", action="store_true",
                        help="skip the follow-up task (the radar runs on the practice evidence already there)")
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    from platform_site.celery import app

    # After-commit tasks (the notification e-mails) go to a broker for other workers, as in
    # production, instead of running inside the timed call; an in-memory broker drops them.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    round_ids = reset(args.rounds) if args.reuse else []
    if round_ids:
        print(f"reused {len(round_ids):,} rounds, reopened in {time.perf_counter() - started:.1f} s")
    else:
        round_ids = build(args.rounds, args.courses)
        print(f"built {len(round_ids):,} open rounds past their deadline, {len(round_ids) * 8:,} submissions "
              f"in {time.perf_counter() - started:.1f} s")
    with open("/proc/loadavg") as loadavg:
        print(f"load average {' '.join(loadavg.read().split()[:3])}")
    bench_finalise(round_ids)
    bench_followup_and_radar(round_ids, followup=not args.skip_followup)
    bench_result_api(round_ids, args.api_requests)


if __name__ == "__main__":
    main()
