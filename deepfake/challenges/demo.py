"""Demo: a class challenge for student_demo's class set by teacher_demo, with a closed
warm-up phase (private leaderboard out, points granted) and an open main phase whose
public leaderboard has a baseline and the class's entries."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role

from .models import Challenge, ChallengePhase

TITLE = "找出合成人脸 · Spot the synthetic faces"
SOURCES = (("real", "", 60), ("fake_stylegan3", "stylegan3", 30), ("fake_dcgan_celeba", "dcgan", 30))


def _archive() -> bytes | None:
    """A labelled zip from the shared faces (read in place, at seed time; nothing goes into the repository)."""
    root = Path(settings.DEEPFAKE_TRAINING_DATA_DIR)
    if not (root / "real").is_dir():
        return None
    buffer = io.BytesIO()
    rows = ["file,label,generator"]
    with zipfile.ZipFile(buffer, "w") as zf:
        for folder, generator, n in SOURCES:
            # The last files of each folder: the shipped model's held-out end of the list.
            for path in sorted((root / folder).iterdir())[-n:]:
                zf.write(path, f"{folder}/{path.name}")
                rows.append(f"{folder}/{path.name},{'fake' if generator else 'real'},{generator}")
        zf.writestr("labels.csv", "\n".join(rows) + "\n")
    return buffer.getvalue()


def _csv(items, rng: np.random.Generator, skill: float) -> SimpleUploadedFile:
    lines = ["id,probability"]
    for item_id, label in items:
        p = float(np.clip(0.5 + (label - 0.5) * skill + rng.normal(0, 0.25), 0, 1))
        lines.append(f"{item_id},{p:.4f}")
    return SimpleUploadedFile("predictions.csv", ("\n".join(lines) + "\n").encode())


def seed(ctx) -> None:
    from students.models import StudentProfile

    from . import services
    from .selectors import classes_taught_by

    teacher = ctx.demo_users.get(Role.TEACHER)
    student = ctx.demo_users.get(Role.STUDENT)
    if teacher is None or student is None or Challenge.objects.filter(title=TITLE, created_by=teacher).exists():
        return
    profile = StudentProfile.objects.filter(user=student).select_related("school_class").first()
    if profile is None or profile.school_class is None:
        return
    school_class = profile.school_class
    if not classes_taught_by(user=teacher).filter(pk=school_class.pk).exists():
        if school_class.head_teacher_id is None:
            school_class.head_teacher = teacher
            school_class.save(update_fields=["head_teacher"])
        else:
            teacher = school_class.head_teacher
    data = _archive()
    if data is None:
        ctx.log("deepfake: no challenge (the shared faces are missing)")
        return
    now = timezone.now()
    challenge = services.challenge_create(
        actor=teacher, title=TITLE, classes=[school_class], archive=SimpleUploadedFile("faces.zip", data),
        description="用实验室的检测器或自己训练的模型，判断每张测试图片是否为 GAN 合成。"
                    "Decide for every test image whether a GAN drew it, with the lab's detector or your own model.",
        starts_at=now - timedelta(days=10), ends_at=now - timedelta(days=3), phase_name="Warm-up",
        daily_quota=5, total_quota=50)
    services.challenge_phase_add(actor=teacher, challenge=challenge, name="Main", starts_at=now - timedelta(days=3),
                                 ends_at=now + timedelta(days=14))
    items = list(challenge.items.values_list("item_id", "label"))
    rng = np.random.default_rng(ctx.seed)
    classmates = list(StudentProfile.objects.filter(school_class=school_class).order_by("pk")
                      .values_list("user__pk", flat=True)[:8])
    users = {u.pk: u for u in type(student).objects.filter(pk__in=classmates)}
    warmup, main = ChallengePhase.objects.filter(challenge=challenge).order_by("starts_at")
    for phase, when in ((warmup, now - timedelta(days=8)), (main, now - timedelta(days=2))):
        services.submission_create_predictions(actor=teacher, phase=phase, uploaded_file=_csv(items, rng, 0.5),
                                               label="baseline: spectrum", baseline=True, now=when)
        for n, user_id in enumerate(classmates):
            if user_id == student.pk and phase is main:
                continue  # student_demo's own first submission is theirs to make
            for k in range(1 + n % 3):
                services.submission_create_predictions(
                    actor=users[user_id], phase=phase, uploaded_file=_csv(items, rng, 0.35 + 0.07 * n + 0.05 * k),
                    now=when + timedelta(hours=n, minutes=10 * k))
    services.phase_finalize(phase_id=warmup.pk)
    ctx.log(f"deepfake: challenge “{TITLE}” with {challenge.test_count} test images, {len(classmates)} entrants")
