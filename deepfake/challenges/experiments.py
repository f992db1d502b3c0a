"""Student experiments: train one of the lab's small models on a challenge's labelled dev
split (queued on ``inference``, one at a time per student, time-limited), compare runs, and
submit the best one to the challenge as a weights submission.

torch and OpenCV are imported inside the worker function only."""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.errors import ApplicationError, NotPermitted
from accounts.services import audit_log_record

from . import permissions
from .models import Challenge, ChallengePhase, Experiment, Submission

logger = logging.getLogger(__name__)

ARCHES = ("small_cnn", "spectrum_logreg")
MAX_EPOCHS = 8


@transaction.atomic
def experiment_start(*, actor, challenge: Challenge, arch: str, epochs: int, note: str = "") -> Experiment:
    if not permissions.can_enter(actor, challenge):
        raise NotPermitted("Only students of the challenge's classes run experiments on its data.")
    if arch not in ARCHES:
        raise ApplicationError(f"Choose one of the lab's architectures: {', '.join(ARCHES)}.", code="invalid_arch")
    if not 1 <= epochs <= MAX_EPOCHS:
        raise ApplicationError(f"Epochs must be 1 to {MAX_EPOCHS}.", code="invalid_epochs")
    if challenge.dev_count < 12:
        raise ApplicationError("The challenge's dev split is too small to train on.", code="dev_too_small")
    if Experiment.objects.filter(student=actor, status__in=Experiment.ACTIVE).exists():
        raise ApplicationError("You already have an experiment queued or running; wait for it to finish.",
                               code="experiment_running", status_code=409)
    try:
        with transaction.atomic():
            experiment = Experiment.objects.create(student=actor, challenge=challenge, arch=arch, epochs=epochs,
                                                   note=note[:80])
    except IntegrityError:  # a concurrent start won the race for the one active slot
        raise ApplicationError("You already have an experiment queued or running.", code="experiment_running",
                               status_code=409) from None
    audit_log_record(actor=actor, action="deepfake.experiment_start", target=experiment,
                     data={"arch": arch, "epochs": epochs})
    from .tasks import experiment_run_task

    transaction.on_commit(lambda: experiment_run_task.delay(experiment.pk))
    return experiment


def _image_folder(dev_zip: str, root: Path) -> None:
    """The dev split as an ImageFolder: real/ and fake_<generator>/ (names from the checked zip)."""
    with zipfile.ZipFile(dev_zip) as zf:
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(zf.read("labels.csv").decode("utf-8"))))
        for n, row in enumerate(rows):
            folder = "real" if row["label"] == "real" else "fake_" + "".join(
                c if c.isalnum() else "_" for c in row["generator"])[:40]
            (root / folder).mkdir(parents=True, exist_ok=True)
            (root / folder / f"{n:05d}{PurePosixPath(row['file']).suffix.lower()}").write_bytes(zf.read(row["file"]))


def _set(experiment_id: int, **fields) -> None:
    Experiment.objects.filter(pk=experiment_id).update(**fields)


def experiment_run(*, experiment_id: int) -> str:
    """The worker's part (idempotent: a finished experiment is left alone)."""
    with transaction.atomic():
        experiment = Experiment.objects.select_for_update().select_related("challenge").filter(pk=experiment_id).first()
        if experiment is None or experiment.status in (Experiment.Status.DONE, Experiment.Status.FAILED):
            return "skipped"
        experiment.status, experiment.stage = Experiment.Status.RUNNING, "preparing the data"
        experiment.save(update_fields=["status", "stage"])
    try:
        from deepfake.ml.train import train_detector

        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp) / "data"
            _image_folder(experiment.challenge.dev_archive.path, data_dir)

            def progress(fraction: float, message: str) -> None:
                _set(experiment_id, progress=int(fraction * 100), stage=message[:200])

            result = train_detector(data_dir, Path(tmp) / "out" / f"experiment_{experiment_id}", arch=experiment.arch,
                                    epochs=experiment.epochs, cross_source=False, threads=2, progress=progress,
                                    command=f"experiment {experiment_id}")
            out = Path(tmp) / "out"
            metrics = {k: result[k] for k in ("test", "validation", "history", "threshold", "train_seconds", "splits")}
            with transaction.atomic():
                experiment = Experiment.objects.select_for_update().get(pk=experiment_id)
                if experiment.status != Experiment.Status.RUNNING:
                    return "skipped"
                with open(out / f"experiment_{experiment_id}.pt", "rb") as fh:
                    experiment.weights_file.save(f"experiment_{experiment_id}.pt", File(fh), save=False)
                with open(out / f"experiment_{experiment_id}_roc.png", "rb") as fh:
                    experiment.roc_curve.save(f"experiment_{experiment_id}_roc.png", File(fh), save=False)
                experiment.metrics = json.loads(json.dumps(metrics))
                experiment.status, experiment.progress, experiment.stage = Experiment.Status.DONE, 100, "done"
                experiment.finished_at = timezone.now()
                experiment.save()
        return "done"
    except Exception as exc:  # noqa: BLE001 - the reason is shown to the student; the trace is logged
        from celery.exceptions import SoftTimeLimitExceeded

        if isinstance(exc, SoftTimeLimitExceeded):
            reason = "The experiment took longer than the time limit."
        elif isinstance(exc, ValueError | OSError):
            reason = str(exc)[:300]
        else:
            logger.exception("experiment %s failed", experiment_id)
            reason = f"Training failed: {type(exc).__name__}"
        _set(experiment_id, status=Experiment.Status.FAILED, error=reason, finished_at=timezone.now())
        return "failed"


def experiment_submit(*, actor, experiment: Experiment, phase: ChallengePhase) -> Submission:
    """Submit a finished experiment's weights to the challenge (counts against the quota)."""
    from .services import submission_create_weights

    if experiment.student_id != actor.pk:
        raise NotPermitted("Only the student who ran the experiment submits it.")
    if experiment.status != Experiment.Status.DONE or not experiment.weights_file:
        raise ApplicationError("Only a finished experiment can be submitted.", code="experiment_not_done")
    if phase.challenge_id != experiment.challenge_id:
        raise ApplicationError("That phase belongs to another challenge.", code="wrong_challenge")
    with experiment.weights_file.open("rb") as fh:
        data = fh.read()
    upload = ContentFile(data, name=f"experiment_{experiment.pk}.pt")
    return submission_create_weights(actor=actor, phase=phase, uploaded_file=upload,
                                     label=f"experiment {experiment.pk}: {experiment.arch}, {experiment.epochs} ep")
