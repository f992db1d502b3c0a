"""Training runs: started by a teacher, executed by the Celery task with an id,
registered (inactive) in the model registry when done. Idempotent."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.services import audit_log_record, notification_send

from .. import permissions
from ..models import DetectorModel, TrainingRun
from .liveness import beating, enqueue, heartbeat_is_fresh
from .registry import detector_model_register_from_prefix

logger = logging.getLogger(__name__)


@transaction.atomic
def training_run_start(*, actor, name: str, arch: str, epochs: int, limit_per_source: int | None = None,
                       cross_source: bool = True, data_dir: str | None = None) -> TrainingRun:
    if not permissions.can_train(actor):
        raise NotPermitted(_("Only teachers launch training runs."))
    if arch not in DetectorModel.Arch.values:
        raise ApplicationError(_("Unknown architecture."), code="invalid_arch")
    if not 1 <= epochs <= 60:
        raise ApplicationError(_("Choose between 1 and 60 epochs."), code="invalid_epochs")
    data_dir = data_dir or settings.DEEPFAKE_TRAINING_DATA_DIR
    if not Path(data_dir, "real").is_dir():
        raise ApplicationError(_("The training data folder is missing (expected real/ and fake*/)."), code="no_data")
    run = TrainingRun.objects.create(started_by=actor, name=name, arch=arch, epochs=epochs,
                                     limit_per_source=limit_per_source, cross_source=cross_source, data_dir=str(data_dir),
                                     enqueued_at=timezone.now())
    audit_log_record(actor=actor, action="deepfake.training.start", target=run, data={"arch": arch, "epochs": epochs})
    from ..tasks import training_run_task

    transaction.on_commit(lambda: enqueue(training_run_task, run.pk))
    return run


def _training_progress(run_id: int, fraction: float, message: str) -> None:
    TrainingRun.objects.filter(pk=run_id, status=TrainingRun.Status.RUNNING).update(
        progress=max(1, min(99, int(100 * fraction))), stage=message[:200], heartbeat_at=timezone.now())


def training_run_execute(*, run_id: int) -> str:
    """Train, then register the result (inactive: a teacher chooses when to switch).
    Idempotent: a finished run is not trained again."""
    with transaction.atomic():
        run = TrainingRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return "missing"
        if run.status in (TrainingRun.Status.DONE, TrainingRun.Status.FAILED):
            return "already-finished"
        if run.status == TrainingRun.Status.RUNNING and heartbeat_is_fresh(run.heartbeat_at):
            return "running-elsewhere"
        run.status, run.progress, run.stage = TrainingRun.Status.RUNNING, 1, "starting"
        run.started_at = run.heartbeat_at = timezone.now()
        run.save(update_fields=["status", "progress", "stage", "started_at", "heartbeat_at"])
    with beating(TrainingRun, run_id, running_status=TrainingRun.Status.RUNNING):
        return _train_claimed(run)


def _train_claimed(run: TrainingRun) -> str:
    import tempfile

    from ..ml.train import train_detector

    run_id = run.pk
    try:
        with tempfile.TemporaryDirectory(prefix="chanjiao-train-") as tmp:
            prefix = Path(tmp) / run.name
            train_detector(run.data_dir, prefix, arch=run.arch, epochs=run.epochs, limit_per_source=run.limit_per_source,
                           cross_source=run.cross_source, progress=lambda f, m: _training_progress(run_id, f, m),
                           command=f"site training run {run.pk} (arch={run.arch}, epochs={run.epochs}, "
                                   f"limit_per_source={run.limit_per_source})")
            with transaction.atomic():
                run = TrainingRun.objects.select_for_update().get(pk=run_id)
                if run.status == TrainingRun.Status.DONE:
                    return "already-finished"
                model = detector_model_register_from_prefix(actor=run.started_by, prefix=prefix, name=run.name)
                run.result_model = model
                run.status, run.progress, run.stage, run.finished_at = TrainingRun.Status.DONE, 100, "done", timezone.now()
                run.save(update_fields=["result_model", "status", "progress", "stage", "finished_at"])
                notification_send(recipients=[run.started_by_id],
                                  title=gettext_noop("Training run %(id)d finished: %(model)s"),
                                  params={"id": run.pk, "model": model.label},
                                  url=reverse("deepfake:training_detail", kwargs={"run_id": run.pk}))
        return "done"
    except Exception as exc:  # noqa: BLE001 - shown to the teacher as the run's reason
        logger.exception("training run %s failed", run_id)
        TrainingRun.objects.filter(pk=run_id).exclude(status=TrainingRun.Status.DONE).update(
            status=TrainingRun.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000], finished_at=timezone.now())
        return "failed"


def training_runs_sweep(*, now=None) -> dict[str, int]:
    """A running training run whose heartbeat stopped is failed (training is long; the
    teacher decides whether to start it again); a queued one not sent for a while is sent
    again."""
    from ..tasks import training_run_task

    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.DEEPFAKE_STALE_SECONDS)
    stale = TrainingRun.objects.filter(status=TrainingRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, started_at__lt=stale_before))
    failed = 0
    for run in stale:
        with transaction.atomic():
            updated = TrainingRun.objects.filter(pk=run.pk, status=TrainingRun.Status.RUNNING,
                                                 heartbeat_at=run.heartbeat_at).update(
                status=TrainingRun.Status.FAILED, finished_at=now,
                error=_("The worker running this training stopped responding; start the run again."))
            if updated:
                failed += 1
                notification_send(recipients=[run.started_by_id], title=gettext_noop("Training run %(id)d failed"),
                                  params={"id": run.pk},
                                  url=reverse("deepfake:training_detail", kwargs={"run_id": run.pk}))
    resend_before = now - timedelta(seconds=settings.DEEPFAKE_REQUEUE_SECONDS)
    resend = list(TrainingRun.objects.filter(status=TrainingRun.Status.QUEUED).filter(
        Q(enqueued_at__lt=resend_before) | Q(enqueued_at__isnull=True, created_at__lt=resend_before))
        .values_list("pk", flat=True))
    TrainingRun.objects.filter(pk__in=resend).update(enqueued_at=now)
    for run_id in resend:
        enqueue(training_run_task, run_id)
    return {"failed": failed, "resent": len(resend)}
