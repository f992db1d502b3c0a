"""Detection jobs: creation, the run (called by the Celery task with an id), failure.

A job's state changes only here. ``detection_job_run`` is idempotent: a redelivered
message finds the job finished and returns; results are written in one transaction
that re-checks the state, so a job never has two sets of results."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.background import task_failure_record
from accounts.errors import ApplicationError, NotPermitted
from accounts.services import audit_log_record, notification_send

from .. import permissions
from ..models import DetectionJob, DetectorModel, FaceResult, FrameResult, Media
from .liveness import beating, enqueue, heartbeat_is_fresh
from .storage import local_path, save_over

logger = logging.getLogger(__name__)


@transaction.atomic
def detection_job_create(*, actor, media: Media, detector: DetectorModel | None = None,
                         frame_count: int | None = None, aggregation: str | None = None) -> DetectionJob:
    if not permissions.can_detect(actor):
        raise NotPermitted(_("You may not run detection jobs."))
    if media.owner_id != actor.pk:
        raise NotPermitted(_("You can only analyse your own uploads."))
    if detector is None:
        from ..selectors import detector_model_active

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
        enqueued_at=timezone.now(),
    )
    audit_log_record(actor=actor, action="deepfake.job.create", target=job, data={"detector": detector.label})
    from ..tasks import detection_job_run_task

    transaction.on_commit(lambda: enqueue(detection_job_run_task, job.pk))
    return job


def _set_progress(job_id: int, progress: int, stage: str) -> None:
    DetectionJob.objects.filter(pk=job_id, status=DetectionJob.Status.RUNNING).update(
        progress=progress, stage=stage[:120], heartbeat_at=timezone.now())


def detection_job_fail(*, job_id: int, reason: str) -> None:
    with transaction.atomic():
        job = DetectionJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == DetectionJob.Status.DONE:
            return
        job.status = DetectionJob.Status.FAILED
        job.error = reason[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        task_failure_record(task_name="deepfake.detection_job", task_id=str(job.pk), user_id=job.requested_by_id,
                            error=job.error, arguments=[job.pk], notify=False)
        notification_send(recipients=[job.requested_by_id], title=gettext_noop("Detection job %(id)d failed"),
                          params={"id": job.pk}, body=job.error, url=reverse("deepfake:job_detail", kwargs={"job_id": job.pk}))


def detection_job_run(*, job_id: int) -> str:
    """Run the pipeline for one job and store the results once.

    A redelivered message (worker lost after acks_late, or a duplicate) finds the job
    done and returns; while a live worker (fresh heartbeat) runs it, a duplicate returns
    "running-elsewhere" (the task tries again later); a job whose worker was lost is run
    again from the start. Results are written in one transaction that re-checks the
    state, so a job never has two sets of results."""
    with transaction.atomic():
        job = DetectionJob.objects.select_for_update().select_related("media", "detector").filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.is_finished:
            return "already-finished"
        if job.status == DetectionJob.Status.RUNNING and heartbeat_is_fresh(job.heartbeat_at):
            return "running-elsewhere"  # a duplicate message while a live worker runs it
        job.status = DetectionJob.Status.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = timezone.now()
        job.progress, job.stage = 1, "decoding"
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at", "progress", "stage"])

    with beating(DetectionJob, job_id, running_status=DetectionJob.Status.RUNNING):
        return _run_claimed(job)


def _run_claimed(job: DetectionJob) -> str:
    from ..ml.faces import load_image_rgb
    from ..ml.inference import Frame, analyse_frames, sample_frames

    job_id = job.pk
    try:
        from ..detectors import detector_for

        detector = detector_for(job.detector)
        t = time.perf_counter()
        with local_path(job.media.file) as path:
            if job.media.kind == Media.Kind.IMAGE:
                frames = [Frame(0, 0.0, load_image_rgb(path))]
            else:
                frames = sample_frames(path, job.frame_count_requested)
        if not frames:
            raise ApplicationError(gettext_noop("No frame of the video could be decoded."), code="undecodable")
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

        # The reason is shown to the student in their language (stored as source text): our
        # own messages as they are, never a library's text (it names internals and paths).
        if isinstance(exc, SoftTimeLimitExceeded):
            reason = gettext_noop("The job took longer than the time limit.")
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
    from .. import reports

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
        from ..ml.faces import crop_face, preprocess_face, whole_image_box

        rgb = frames[0].rgb
        face_input = preprocess_face(crop_face(rgb, whole_image_box(rgb)), job.detector.metrics.get("input_size", 64))
    pictures["spectrum"] = reports.spectrum_png(face_input, job.detector.metrics.get("mean_spectra", {}))
    return pictures


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
                annotated_image=save_over(f"{prefix}/frame-{f['index']:06d}.jpg", pictures["frames"][f["index"]])
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
        job.timeline_image = save_over(f"{prefix}/timeline.png", pictures["timeline"])
        job.spectrum_image = save_over(f"{prefix}/spectrum.png", pictures["spectrum"])
        job.score = analysis.score
        job.verdict = analysis.verdict
        job.whole_image_score = analysis.whole_image_score
        job.face_count = analysis.face_count
        job.judged_by, job.threshold = analysis.model, analysis.threshold
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


def detection_jobs_sweep(*, now=None) -> dict[str, int]:
    """Run by beat every DEEPFAKE_SWEEP_SECONDS (deepfake.tasks.jobs_sweep_task).

    - running, heartbeat stopped: the worker was lost. Re-queued while attempts remain,
      else failed with a reason the user reads.
    - queued, last sent more than DEEPFAKE_REQUEUE_SECONDS ago: sent again (the broker
      may have been unreachable, or the message lost); a duplicate is harmless."""
    from ..tasks import detection_job_run_task

    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.DEEPFAKE_STALE_SECONDS)
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    to_send: list[int] = []
    stale = DetectionJob.objects.filter(status=DetectionJob.Status.RUNNING).filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, started_at__lt=stale_before))
    for job_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            job = DetectionJob.objects.select_for_update().filter(pk=job_id, status=DetectionJob.Status.RUNNING).first()
            if job is None or heartbeat_is_fresh(job.heartbeat_at or job.started_at, now):
                continue
            if job.attempts >= settings.DEEPFAKE_MAX_ATTEMPTS:
                counts["failed"] += 1
                detection_job_fail(job_id=job.pk, reason=_(
                    "The worker running this job stopped responding (%(attempts)d attempts). "
                    "The job was given up; upload the file again to retry.") % {"attempts": job.attempts})
                continue
            job.status, job.stage, job.progress = DetectionJob.Status.QUEUED, "re-queued: its worker was lost", 0
            job.enqueued_at = now
            job.save(update_fields=["status", "stage", "progress", "enqueued_at"])
            audit_log_record(actor=None, action="deepfake.job.requeue", target=job, data={"attempts": job.attempts})
            counts["requeued"] += 1
            to_send.append(job.pk)
    resend_before = now - timedelta(seconds=settings.DEEPFAKE_REQUEUE_SECONDS)
    old_queued = DetectionJob.objects.filter(status=DetectionJob.Status.QUEUED).filter(
        Q(enqueued_at__lt=resend_before) | Q(enqueued_at__isnull=True, created_at__lt=resend_before))
    resend = list(old_queued.values_list("pk", flat=True))
    DetectionJob.objects.filter(pk__in=resend).update(enqueued_at=now)
    counts["resent"] = len(resend)
    for job_id in to_send + resend:
        enqueue(detection_job_run_task, job_id)
    return counts
