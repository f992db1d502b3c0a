"""Writes for the deepfake app: uploads, detection jobs, the model registry and training runs.

Job and training-run states change only here. The Celery tasks call
``detection_job_run`` / ``training_run_execute`` with ids; both are idempotent."""

from __future__ import annotations

import json
import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.services import audit_log_record, notification_send

from . import permissions
from .models import DetectionJob, DetectorModel, FaceResult, FrameResult, Media, TrainingRun
from .validation import clean_original_name, inspect_upload

logger = logging.getLogger(__name__)


# --- Uploads ---------------------------------------------------------------------------


def _upload_name(extension: str) -> str:
    return f"deepfake/uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def media_upload(*, actor, uploaded_file, original_name: str | None = None) -> Media:
    """Validate by content and store under a server-generated name. On any failure
    nothing is left behind: no row, no file."""
    if not permissions.can_detect(actor):
        raise NotPermitted(_("You may not upload media."))
    display_name = clean_original_name(original_name if original_name is not None else getattr(uploaded_file, "name", ""))
    inspected = inspect_upload(uploaded_file)
    stored_name = default_storage.save(_upload_name(inspected.extension), File(uploaded_file))
    try:
        with transaction.atomic():
            media = Media.objects.create(
                owner=actor, kind=inspected.kind, file=stored_name, original_name=display_name,
                content_type=inspected.content_type, size_bytes=inspected.size_bytes, width=inspected.width,
                height=inspected.height, duration_s=inspected.duration_s, frame_count=inspected.frame_count,
                sha256=inspected.sha256,
            )
            audit_log_record(actor=actor, action="deepfake.media.upload", target=media,
                             data={"kind": media.kind, "size": media.size_bytes})
    except Exception:
        default_storage.delete(stored_name)
        raise
    return media


@transaction.atomic
def detection_job_create(*, actor, media: Media, detector: DetectorModel | None = None,
                         frame_count: int | None = None, aggregation: str | None = None) -> DetectionJob:
    if not permissions.can_detect(actor):
        raise NotPermitted(_("You may not run detection jobs."))
    if media.owner_id != actor.pk:
        raise NotPermitted(_("You can only analyse your own uploads."))
    if detector is None:
        from .selectors import detector_model_active

        detector = detector_model_active()
    if detector is None:
        raise ApplicationError(_("No detector model is installed yet. Ask a teacher to train or register one."),
                               code="no_detector", status_code=409)
    aggregation = aggregation or settings.DEEPFAKE_AGGREGATION
    if aggregation not in DetectionJob.Aggregation.values:
        raise ApplicationError(_("Unknown aggregation."), code="invalid_aggregation")
    frames = frame_count or settings.DEEPFAKE_FRAMES_PER_VIDEO
    if not 1 <= frames <= 256:
        raise ApplicationError(_("Sample between 1 and 256 frames."), code="invalid_frame_count")
    job = DetectionJob.objects.create(
        media=media, detector=detector, requested_by=actor,
        frame_count_requested=1 if media.kind == Media.Kind.IMAGE else frames, aggregation=aggregation,
    )
    audit_log_record(actor=actor, action="deepfake.job.create", target=job, data={"detector": detector.label})
    from .tasks import detection_job_run_task

    transaction.on_commit(lambda: detection_job_run_task.delay(job.pk))
    return job


def media_upload_and_detect(*, actor, uploaded_file, original_name: str | None = None, detector_id: int | None = None,
                            frame_count: int | None = None, aggregation: str | None = None) -> DetectionJob:
    """Upload and queue a job in one step; if the job cannot be created the upload is removed."""
    detector = None
    if detector_id is not None:
        detector = DetectorModel.objects.filter(pk=detector_id).first()
        if detector is None:
            raise ApplicationError(_("Unknown detector model."), code="unknown_detector")
    media = media_upload(actor=actor, uploaded_file=uploaded_file, original_name=original_name)
    try:
        return detection_job_create(actor=actor, media=media, detector=detector, frame_count=frame_count,
                                    aggregation=aggregation)
    except Exception:
        media_delete_files(media=media)
        media.delete()
        raise


def media_delete_files(*, media: Media) -> None:
    if media.file:
        default_storage.delete(media.file.name)


# --- Running a job -----------------------------------------------------------------------


def _set_progress(job_id: int, progress: int, stage: str) -> None:
    DetectionJob.objects.filter(pk=job_id, status=DetectionJob.Status.RUNNING).update(progress=progress, stage=stage[:120])


def detection_job_fail(*, job_id: int, reason: str) -> None:
    with transaction.atomic():
        job = DetectionJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == DetectionJob.Status.DONE:
            return
        job.status = DetectionJob.Status.FAILED
        job.error = reason[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        notification_send(recipients=[job.requested_by_id], title=gettext_noop("Detection job %(id)d failed"),
                          params={"id": job.pk}, body=job.error, url=reverse("deepfake:job_detail", kwargs={"job_id": job.pk}))


def detection_job_run(*, job_id: int) -> str:
    """Run the pipeline for one job and store the results once.

    A redelivered message (worker lost after acks_late, or a duplicate) finds the job
    done and returns; a job interrupted while running is run again from the start,
    and its results are written in one transaction that re-checks the state, so a
    job never has two sets of results."""
    from .ml.faces import load_image_rgb
    from .ml.inference import Frame, analyse_frames, sample_frames

    with transaction.atomic():
        job = DetectionJob.objects.select_for_update().select_related("media", "detector").filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.is_finished:
            return "already-finished"
        job.status = DetectionJob.Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.progress, job.stage = 1, "decoding"
        job.save(update_fields=["status", "attempts", "started_at", "progress", "stage"])

    try:
        from .detectors import detector_for

        detector = detector_for(job.detector)
        t = time.perf_counter()
        path = job.media.file.path
        if job.media.kind == Media.Kind.IMAGE:
            frames = [Frame(0, 0.0, load_image_rgb(path))]
        else:
            frames = sample_frames(path, job.frame_count_requested)
        if not frames:
            raise ApplicationError(_("No frame of the video could be decoded."), code="undecodable")
        decode_s = time.perf_counter() - t
        _set_progress(job_id, 10, "detecting faces")
        last = [10]

        def on_frame(done: int, total: int) -> None:
            pct = 10 + int(70 * done / max(total, 1))
            if pct - last[0] >= 5:
                last[0] = pct
                _set_progress(job_id, pct, f"detecting faces ({done}/{total})")

        analysis = analyse_frames(frames, detector, kind=job.media.kind, aggregation=job.aggregation, keep_inputs=True,
                                  timings={"decode_s": decode_s}, progress=on_frame)
        _set_progress(job_id, 90, "drawing the report")
        pictures = _draw_report(job, frames, analysis)
    except Exception as exc:  # noqa: BLE001 - any failure becomes a readable reason on the job
        from celery.exceptions import SoftTimeLimitExceeded

        # The reason is shown to the student: our own messages as they are, never a
        # library's text (it names internals and server paths: "internal error: error").
        if isinstance(exc, SoftTimeLimitExceeded):
            reason = _("The job took longer than the time limit.")
        elif isinstance(exc, ApplicationError):
            reason = str(exc.message)
        elif isinstance(exc, ValueError):
            logger.warning("deepfake job %s: input not decodable: %s", job_id, exc)
            reason = gettext_noop("The file could not be decoded for analysis.")
        elif isinstance(exc, OSError):
            logger.warning("deepfake job %s: file not readable: %s", job_id, exc)
            reason = gettext_noop("The uploaded file could not be read.")
        else:
            logger.exception("deepfake job %s failed", job_id)
            reason = gettext_noop("The analysis failed on this file. The error has been logged for the administrators.")
        detection_job_fail(job_id=job_id, reason=reason)
        return "failed"
    return _store_results(job_id, analysis, pictures, device=str(detector.device))


def _draw_report(job: DetectionJob, frames, analysis) -> dict[str, bytes | dict[int, bytes]]:
    from . import reports

    pictures: dict = {
        "timeline": reports.timeline_png(analysis.frames, threshold=analysis.threshold, kind=analysis.kind,
                                         score=analysis.score),
    }
    # Key frames: the most and least suspicious frames with faces, or the first frame.
    with_faces = [f for f in analysis.frames if f["faces"]]
    ranked = sorted(with_faces, key=lambda f: f["score"], reverse=True)
    keys = {f["index"] for f in ranked[:2] + ranked[-1:]} or {analysis.frames[0]["index"]}
    by_index = {f.index: f for f in frames}
    pictures["frames"] = {
        i: reports.annotated_frame_jpeg(by_index[i].rgb, next(f["faces"] for f in analysis.frames if f["index"] == i),
                                        threshold=analysis.threshold)
        for i in sorted(keys)
    }
    top_face = max((face for f in analysis.frames for face in f["faces"]), key=lambda face: face["score"], default=None)
    if top_face is not None:
        face_input = top_face["input"]
    else:
        from .ml.faces import crop_face, preprocess_face, whole_image_box

        rgb = frames[0].rgb
        face_input = preprocess_face(crop_face(rgb, whole_image_box(rgb)), job.detector.metrics.get("input_size", 64))
    pictures["spectrum"] = reports.spectrum_png(face_input, job.detector.metrics.get("mean_spectra", {}))
    return pictures


def _save_over(name: str, content: bytes) -> str:
    """Deterministic report names: a rerun overwrites instead of adding files."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def _store_results(job_id: int, analysis, pictures: dict, *, device: str) -> str:
    with transaction.atomic():
        job = DetectionJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.status == DetectionJob.Status.DONE:
            return "already-finished"  # a duplicate delivery finished first; keep its results
        FrameResult.objects.filter(job=job).delete()  # leftovers of an interrupted attempt, if any
        prefix = f"deepfake/reports/job-{job.pk}"
        frame_rows = FrameResult.objects.bulk_create([
            FrameResult(
                job=job, frame_index=f["index"], time_s=f["time_s"], score=f["score"], face_count=len(f["faces"]),
                annotated_image=_save_over(f"{prefix}/frame-{f['index']:06d}.jpg", pictures["frames"][f["index"]])
                if f["index"] in pictures["frames"] else "",
            )
            for f in analysis.frames
        ])
        FaceResult.objects.bulk_create([
            FaceResult(frame=row, order=k, x=face["box"]["x"], y=face["box"]["y"], w=face["box"]["w"], h=face["box"]["h"],
                       detector_source=face["box"]["source"], score=face["score"])
            for row, f in zip(frame_rows, analysis.frames, strict=False)
            for k, face in enumerate(f["faces"])
        ])
        job.timeline_image = _save_over(f"{prefix}/timeline.png", pictures["timeline"])
        job.spectrum_image = _save_over(f"{prefix}/spectrum.png", pictures["spectrum"])
        job.score = analysis.score
        job.verdict = analysis.verdict
        job.whole_image_score = analysis.whole_image_score
        job.face_count = analysis.face_count
        job.device = device
        job.timings = {k: round(v, 4) for k, v in analysis.timings.items()}
        job.status = DetectionJob.Status.DONE
        job.progress, job.stage, job.error = 100, "done", ""
        job.finished_at = timezone.now()
        job.save()
        params = {"id": job.pk}
        if analysis.score is None:
            title = gettext_noop("Detection job %(id)d: no face found")
        else:
            params["score"] = round(100 * analysis.score)
            title = (gettext_noop("Detection job %(id)d: probably GAN-synthesised (%(score)d%% fake)")
                     if job.verdict == DetectionJob.Verdict.FAKE
                     else gettext_noop("Detection job %(id)d: probably real (%(score)d%% fake)"))
        notification_send(recipients=[job.requested_by_id], title=title, params=params,
                          url=reverse("deepfake:job_detail", kwargs={"job_id": job.pk}))
    return "done"


# --- Model registry ----------------------------------------------------------------------


@transaction.atomic
def detector_model_register(*, actor, name: str, weights_path: str | Path, metrics: dict | None = None,
                            roc_path: str | Path | None = None, cross_source_path: str | Path | None = None,
                            model_card: str = "", activate: bool = False, version: int | None = None) -> DetectorModel:
    """Copy a trained model's files into media storage and add it to the registry."""
    import torch

    weights_path = Path(weights_path)
    checkpoint = torch.load(weights_path, map_location="cpu", weights_only=True)
    if checkpoint.get("format") != "chanjiao-deepfake-detector/1":
        raise ApplicationError(_("Not a Chanjiao detector weights file."), code="invalid_weights")
    if version is None:
        version = (DetectorModel.objects.filter(name=name).aggregate(v=Max("version"))["v"] or 0) + 1
    elif DetectorModel.objects.filter(name=name, version=version).exists():
        raise ApplicationError(_("This model version is already registered."), code="duplicate_model")
    metrics = metrics or {}
    stem = f"deepfake/models/{name}-v{version}"
    model = DetectorModel(
        name=name, version=version, arch=checkpoint["arch"], threshold=float(checkpoint["threshold"]),
        metrics=metrics, model_card=model_card, trained_by=actor if actor is not None and actor.is_authenticated else None,
        training_summary={"data_dir": metrics.get("data_dir", ""), "data_summary": metrics.get("data_summary", {}),
                          "splits": metrics.get("splits", {}), "command": metrics.get("command", "")},
    )
    model.weights_file = _save_over(f"{stem}.pt", weights_path.read_bytes())
    if roc_path and Path(roc_path).exists():
        model.roc_curve = _save_over(f"{stem}_roc.png", Path(roc_path).read_bytes())
    if cross_source_path and Path(cross_source_path).exists():
        model.cross_source_figure = _save_over(f"{stem}_cross_source.png", Path(cross_source_path).read_bytes())
    model.save()
    audit_log_record(actor=actor, action="deepfake.model.register", target=model, data={"arch": model.arch})
    if activate or not DetectorModel.objects.filter(is_active=True).exists():
        detector_model_activate(actor=actor, model=model, _check=False)
    return model


def detector_model_register_from_prefix(*, actor, prefix: str | Path, name: str, activate: bool = False,
                                        version: int | None = None) -> DetectorModel:
    """Register ``<prefix>.pt`` with its ``.json`` metrics, ``.md`` card and figures (train_detector's output)."""
    prefix = Path(prefix)
    metrics_path = prefix.with_suffix(".json")
    card_path = prefix.with_suffix(".md")
    return detector_model_register(
        actor=actor, name=name, weights_path=prefix.with_suffix(".pt"),
        metrics=json.loads(metrics_path.read_text()) if metrics_path.exists() else {},
        roc_path=prefix.parent / f"{prefix.name}_roc.png", cross_source_path=prefix.parent / f"{prefix.name}_cross_source.png",
        model_card=card_path.read_text() if card_path.exists() else "", activate=activate, version=version,
    )


@transaction.atomic
def detector_model_activate(*, actor, model: DetectorModel, _check: bool = True) -> DetectorModel:
    if _check and not permissions.can_train(actor):
        raise NotPermitted(_("Only teachers choose the default model."))
    DetectorModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
    if not model.is_active:
        model.is_active = True
        model.save(update_fields=["is_active"])
    audit_log_record(actor=actor, action="deepfake.model.activate", target=model)
    return model


# --- Training runs -----------------------------------------------------------------------


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
                                     limit_per_source=limit_per_source, cross_source=cross_source, data_dir=str(data_dir))
    audit_log_record(actor=actor, action="deepfake.training.start", target=run, data={"arch": arch, "epochs": epochs})
    from .tasks import training_run_task

    transaction.on_commit(lambda: training_run_task.delay(run.pk))
    return run


def _training_progress(run_id: int, fraction: float, message: str) -> None:
    TrainingRun.objects.filter(pk=run_id, status=TrainingRun.Status.RUNNING).update(
        progress=max(1, min(99, int(100 * fraction))), stage=message[:200])


def training_run_execute(*, run_id: int) -> str:
    """Train, then register the result (inactive: a teacher chooses when to switch).
    Idempotent: a finished run is not trained again."""
    import tempfile

    from .ml.train import train_detector

    with transaction.atomic():
        run = TrainingRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return "missing"
        if run.status in (TrainingRun.Status.DONE, TrainingRun.Status.FAILED):
            return "already-finished"
        run.status, run.progress, run.stage, run.started_at = TrainingRun.Status.RUNNING, 1, "starting", timezone.now()
        run.save(update_fields=["status", "progress", "stage", "started_at"])
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
