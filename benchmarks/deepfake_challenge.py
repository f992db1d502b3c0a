"""Class challenges: leaderboard with 500 entrants, scoring a prediction CSV and a model
submission on 1,000 images. Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chanjiao_lab CHANJIAO_FACES_DIR=../shared/data/faces \\
        .venv/bin/python benchmarks/deepfake_challenge.py [--entrants 500] [--requests 100]

The leaderboard rows are written inside a transaction that is rolled back at the end
(nothing stays in the database). p50/p95 are through Django's test client, one process.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings_bench")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class Rollback(Exception):
    pass


def leaderboard_bench(entrants: int, requests: int) -> None:
    import numpy as np
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Role, User
    from deepfake.models import Challenge, ChallengeItem, ChallengePhase, Submission
    from students.models import StudentProfile
    from teachers.models import Major, SchoolClass

    rng = np.random.default_rng(0)
    try:
        with transaction.atomic():
            teacher = User.objects.create(username="bench_df_teacher", role=Role.TEACHER)
            major = Major.objects.create(code="bench-df", name="大数据")
            school_class = SchoolClass.objects.create(major=major, intake_year=2025, code="bench-df-1", name="B",
                                                      head_teacher=teacher)
            users = User.objects.bulk_create([User(username=f"bench_df_s{i}", role=Role.STUDENT)
                                              for i in range(entrants)])
            StudentProfile.objects.bulk_create([
                StudentProfile(user=u, student_number=f"BDF{i:05d}", major=major, school_class=school_class,
                               intake_year=2025) for i, u in enumerate(users)])
            now = timezone.now()
            challenge = Challenge.objects.create(title="bench", created_by=teacher, test_count=1000,
                                                 generators=["dcgan", "stylegan3"])
            challenge.classes.add(school_class)
            ChallengeItem.objects.bulk_create([ChallengeItem(challenge=challenge, item_id=f"t{i:05d}", label=i % 2,
                                                             generator="real" if i % 2 == 0 else "dcgan",
                                                             is_public=i < 500) for i in range(1000)])
            phase = ChallengePhase.objects.create(challenge=challenge, name="Main", starts_at=now, ends_at=now.replace(
                year=now.year + 1))
            subs = []
            for u in users:
                for _k in range(3):
                    pub, priv = float(rng.uniform(0.5, 1)), float(rng.uniform(0.5, 1))
                    scores = {s: {"auc": v, "accuracy": v, "count": 500,
                                  "per_generator": {"dcgan": v, "stylegan3": v}} for s, v in (("public", pub), ("private", priv))}
                    subs.append(Submission(phase=phase, submitted_by=u, kind="predictions", status="scored",
                                           file="bench.csv", public_auc=pub, public_accuracy=pub, private_auc=priv,
                                           private_accuracy=priv, scores=scores, created_at=now))
            Submission.objects.bulk_create(subs)
            client = Client()
            client.force_login(users[0])
            for name, url in (("leaderboard API", reverse("api:deepfake-challenge-leaderboard", args=[phase.pk])),
                              ("challenge page", reverse("deepfake:challenge_detail", args=[challenge.pk]))):
                client.get(url)
                times = []
                for _ in range(requests):
                    t = time.perf_counter()
                    assert client.get(url).status_code == 200
                    times.append((time.perf_counter() - t) * 1000)
                print(f"{name}, {entrants} entrants ({len(subs)} scored submissions): p50 {percentile(times, 50):.1f} ms, "
                      f"p95 {percentile(times, 95):.1f} ms ({requests} requests)")
            raise Rollback
    except Rollback:
        pass


def scoring_bench(faces: Path) -> None:
    import cv2
    import numpy as np

    from deepfake.challenges.predictions import parse_predictions
    from deepfake.challenges.scoring import Item, score_predictions
    from deepfake.challenges.weights import predict_archive
    from deepfake.ml.detect import DEFAULT_WEIGHTS

    files = [(p, 0) for p in sorted((faces / "real").iterdir())[:500]]
    files += [(p, 1) for p in sorted((faces / "fake_stylegan3").iterdir())[:200]]
    files += [(p, 1) for p in sorted((faces / "fake_dcgan_celeba").iterdir())[:300]]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for n, (path, _) in enumerate(files):
            img = cv2.resize(cv2.imread(str(path)), (160, 160), interpolation=cv2.INTER_AREA)
            zf.writestr(f"t{n:05d}.jpg", cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes())
    archive = Path("/tmp/deepfake_bench_test.zip")
    archive.write_bytes(buffer.getvalue())
    items = [Item(f"t{n:05d}", label, "real" if label == 0 else "gan", n % 2 == 0) for n, (_, label) in enumerate(files)]
    rng = np.random.default_rng(0)
    csv = ("id,probability\n" + "".join(f"{i.item_id},{rng.random():.4f}\n" for i in items)).encode()
    t = time.perf_counter()
    score_predictions(items, parse_predictions(csv, {i.item_id for i in items}))
    print(f"prediction CSV, {len(items)} rows: parsed and scored in {(time.perf_counter() - t) * 1000:.0f} ms")
    t = time.perf_counter()
    predictions = predict_archive(DEFAULT_WEIGHTS.read_bytes(), str(archive))
    elapsed = time.perf_counter() - t
    scores = score_predictions(items, predictions)
    print(f"model submission ({DEFAULT_WEIGHTS.name}) on {len(items)} images: {elapsed:.1f} s "
          f"(YuNet + aligned crop + CNN on CPU); public AUC {scores['public']['auc']:.3f}, "
          f"private AUC {scores['private']['auc']:.3f}")
    archive.unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrants", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--skip-scoring", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    import torch

    torch.set_num_threads(2)
    leaderboard_bench(args.entrants, args.requests)
    faces = Path(os.environ.get("CHANJIAO_FACES_DIR") or ROOT.parent / "shared" / "data" / "faces")
    if not args.skip_scoring and (faces / "real").is_dir():
        scoring_bench(faces)


if __name__ == "__main__":
    main()
