"""Uploads: validated by content, stored under a server-generated name."""

from __future__ import annotations

import uuid

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, NotPermitted
from accounts.services import audit_log_record

from .. import permissions
from ..models import DetectionJob, DetectorModel, Media
from ..validation import clean_original_name, inspect_upload
from . import jobs


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
        return jobs.detection_job_create(actor=actor, media=media, detector=detector, frame_count=frame_count,
                                    aggregation=aggregation)
    except Exception:
        media_delete_files(media=media)
        media.delete()
        raise


def media_delete_files(*, media: Media) -> None:
    if media.file:
        default_storage.delete(media.file.name)
