"""Reads for the deepfake app, with per-user scoping: a student sees only their own
uploads and jobs; a teacher sees their own and those of the students of their classes
(head teacher, or teacher of a course offering to the class)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role

from . import permissions
from .models import DetectionJob, DetectorModel, FrameResult, Media, TrainingRun


def _supervised_owner_q(user, field: str) -> Q:
    """Rows whose owner (``field``) is ``user`` or, for a teacher, a student of one of their classes."""
    q = Q(**{field: user})
    if user.role == Role.TEACHER:
        class_q = Q(**{f"{field}__student_profile__school_class__head_teacher": user}) | Q(
            **{f"{field}__student_profile__school_class__offerings__teacher": user}
        )
        q |= class_q
    return q


def job_list_for_user(*, user) -> QuerySet[DetectionJob]:
    if not user.is_authenticated or user.role not in (Role.STUDENT, Role.TEACHER):
        return DetectionJob.objects.none()
    ids = DetectionJob.objects.filter(_supervised_owner_q(user, "requested_by")).values("pk")
    return (
        DetectionJob.objects.filter(pk__in=ids)
        .select_related("media", "detector", "requested_by")
        .order_by("-created_at", "-id")
    )


def class_job_list_for_teacher(*, user) -> QuerySet[DetectionJob]:
    """The teacher view: jobs of the students of the teacher's classes (not their own)."""
    return job_list_for_user(user=user).exclude(requested_by=user)


def job_get_for_user(*, user, job_id: int) -> DetectionJob:
    job = job_list_for_user(user=user).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such job.")
    return job


def media_get_for_user(*, user, media_id: int) -> Media:
    if not user.is_authenticated or user.role not in (Role.STUDENT, Role.TEACHER):
        raise Http404("No such file.")
    ids = Media.objects.filter(_supervised_owner_q(user, "owner")).values("pk")
    media = Media.objects.filter(pk__in=ids, pk=media_id).first()
    if media is None:
        raise Http404("No such file.")
    return media


def job_frames(*, job: DetectionJob) -> QuerySet[FrameResult]:
    return FrameResult.objects.filter(job=job).prefetch_related("faces").order_by("frame_index")


def job_queue_position(*, job: DetectionJob) -> int | None:
    """1 for the next job to run; None once the job has left the queue."""
    if job.status != DetectionJob.Status.QUEUED:
        return None
    return DetectionJob.objects.filter(status=DetectionJob.Status.QUEUED, pk__lt=job.pk).count() + 1


def detector_model_list() -> QuerySet[DetectorModel]:
    return DetectorModel.objects.select_related("trained_by").order_by("-is_active", "name", "-version")


# How a model was built on the server: absolute paths, the command line, library
# versions. Useful to those who train models; for anyone else an information leak.
MODEL_BUILD_DETAILS = frozenset({"data_dir", "command", "torch", "python", "files", "cuda", "device", "host"})


def detector_model_details_for_user(*, model: DetectorModel, user) -> tuple[dict, dict]:
    """(metrics, training_summary) as this user may see them."""
    metrics, summary = dict(model.metrics or {}), dict(model.training_summary or {})
    if permissions.can_train(user) or getattr(user, "role", None) == Role.SCHOOL_ADMIN:
        return metrics, summary
    return ({k: v for k, v in metrics.items() if k not in MODEL_BUILD_DETAILS},
            {k: v for k, v in summary.items() if k not in MODEL_BUILD_DETAILS})


def detector_model_active() -> DetectorModel | None:
    return DetectorModel.objects.filter(is_active=True).first() or DetectorModel.objects.order_by("-created_at").first()


def detector_model_get(*, model_id: int) -> DetectorModel:
    model = DetectorModel.objects.filter(pk=model_id).first()
    if model is None:
        raise Http404("No such model.")
    return model


def detector_model_by_name(*, name: str) -> DetectorModel | None:
    """``name`` or ``name:version``; without a version, the active one or the newest."""
    base, _, version = name.partition(":")
    qs = DetectorModel.objects.filter(name=base)
    if version:
        return qs.filter(version=int(version)).first()
    return qs.order_by("-is_active", "-version").first()


def training_run_list_for_user(*, user) -> QuerySet[TrainingRun]:
    if not user.is_authenticated or user.role != Role.TEACHER:
        return TrainingRun.objects.none()
    return TrainingRun.objects.select_related("started_by", "result_model").order_by("-created_at", "-id")


def training_run_get_for_user(*, user, run_id: int) -> TrainingRun:
    run = training_run_list_for_user(user=user).filter(pk=run_id).first()
    if run is None:
        raise Http404("No such training run.")
    return run
