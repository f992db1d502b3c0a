"""Big gradebook imports run in a worker (issue 17 §4): a file of more than
GRADEBOOK_IMPORT_ASYNC_ROWS data rows is stored and imported by
`teachers.tasks.gradebook_import_task`, still all or nothing, while the teacher's page
polls its progress; the result (rows applied, or the rows with problems) is kept on
the GradebookImport row and the teacher is notified.

Liveness, as for the lab's jobs (accounts.liveness): the worker writes a heartbeat while it
imports; `gradebook_imports_sweep` (beat, every GRADEBOOK_IMPORT_SWEEP_SECONDS) re-queues an
import whose worker was lost (heartbeat silent for GRADEBOOK_IMPORT_STALE_SECONDS), at most
GRADEBOOK_IMPORT_MAX_ATTEMPTS runs, then fails it with a reason the teacher reads; and sends
again an import queued for GRADEBOOK_IMPORT_REQUEUE_SECONDS without starting. A second run
is harmless: the rows are applied in one transaction (all or none), and a claimed import is
not claimed twice while its worker lives."""

from __future__ import annotations

import dataclasses
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError
from accounts.liveness import beating, heartbeat_is_fresh
from accounts.models import User
from accounts.services import audit_log_record, notification_send

from .assessment.io import gradebook_import_any
from .gradebook_io import MAX_IMPORT_ROWS, gradebook_rows_count
from .models import CourseOffering, GradebookImport
from .selectors import offering_get_for_user

logger = logging.getLogger(__name__)


def gradebook_import_is_big(*, upload_name: str, data: bytes) -> bool:
    """More data rows than the web request should validate and apply itself. The whole
    file is read (a streaming read, no queries): a file the import would refuse outright
    (over the row cap, not UTF-8, not a workbook, a giant cell) is refused here, with a
    400, before anything is stored."""
    rows = gradebook_rows_count(upload_name=upload_name, data=data, limit=MAX_IMPORT_ROWS + 2)
    return rows - 1 > settings.GRADEBOOK_IMPORT_ASYNC_ROWS


@transaction.atomic
def gradebook_import_enqueue(*, actor: User, offering: CourseOffering, upload_name: str, data: bytes,
                             reason: str = "") -> GradebookImport:
    """Store the upload (under a name of ours) and queue its import once committed."""
    ext = "xlsx" if upload_name.lower().endswith(".xlsx") else "csv"
    job = GradebookImport(offering=offering, requested_by=actor, upload_name=upload_name[:255], reason=reason[:200],
                          enqueued_at=timezone.now())
    job.upload.save(f"{secrets.token_hex(16)}.{ext}", ContentFile(data), save=False)
    stored = job.upload.name
    try:
        job.save()
        audit_log_record(actor=actor, action="grades.import_queued", target=job, data={"file": job.upload_name})
    except Exception:
        job.upload.storage.delete(stored)
        raise
    transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(import_id: int) -> None:
    from kombu.exceptions import OperationalError

    from .tasks import gradebook_import_task

    try:
        gradebook_import_task.delay(import_id)
    except (OperationalError, OSError):
        logger.warning("could not enqueue gradebook import %s", import_id, exc_info=True)
        GradebookImport.objects.filter(pk=import_id, status=GradebookImport.Status.QUEUED).update(
            status=GradebookImport.Status.FAILED, finished_at=timezone.now(),
            message=gettext_noop("The background service could not be reached; nothing was imported. "
                                 "Try again in a few minutes."))


def _fresh(heartbeat_at, now=None) -> bool:
    return heartbeat_is_fresh(heartbeat_at, stale_seconds=settings.GRADEBOOK_IMPORT_STALE_SECONDS, now=now)


def _claim(import_id: int) -> GradebookImport | None:
    """queued → running, once: a duplicate message finds it claimed (by a live worker) or
    finished and does nothing. A running import whose worker was lost (a redelivered
    message after `kill -9`) is claimed again."""
    with transaction.atomic():
        job = GradebookImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or job.is_finished:
            return None
        if job.status == GradebookImport.Status.RUNNING and _fresh(job.heartbeat_at or job.started_at):
            return None
        job.status = GradebookImport.Status.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
    return job


def gradebook_import_run(*, import_id: int) -> GradebookImport | None:
    """The worker's part: validate every row, apply all or none, record the outcome."""
    job = _claim(import_id)
    if job is None:
        return None
    requester = job.requested_by
    language = (requester.language if requester else "") or settings.LANGUAGE_CODE
    fields = ["status", "rows_total", "rows_checked", "applied", "error_count", "errors", "message", "finished_at"]
    try:
        # Row problems are written in the language of the teacher who reads them.
        with (beating(GradebookImport, job.pk, running_status=GradebookImport.Status.RUNNING,
                      every=settings.GRADEBOOK_IMPORT_HEARTBEAT_SECONDS),
              translation.override(language), job.upload.open("rb") as handle):
            data = handle.read()
            job.rows_total = max(0, gradebook_rows_count(upload_name=job.upload_name, data=data) - 1)
            GradebookImport.objects.filter(pk=job.pk).update(rows_total=job.rows_total)
            report = gradebook_import_any(
                actor=requester, offering=job.offering, upload_name=job.upload_name, data=data, reason=job.reason,
                progress=lambda n: GradebookImport.objects.filter(pk=job.pk).update(rows_checked=n))
    except ApplicationError as exc:
        job.status, job.message = GradebookImport.Status.FAILED, str(exc.message)[:300]
    except Exception:
        job.status = GradebookImport.Status.FAILED
        job.message = gettext_noop("The import failed unexpectedly; nothing was imported.")
        _finish(job, fields)
        raise  # recorded with the failed background tasks
    else:
        job.rows_checked = report.rows
        if report.ok:
            job.status, job.applied = GradebookImport.Status.DONE, report.applied
        else:
            job.status, job.error_count = GradebookImport.Status.REJECTED, report.error_count
            job.errors = [dataclasses.asdict(e) for e in report.errors]
    _finish(job, fields)
    return job


@transaction.atomic
def _finish(job: GradebookImport, fields: list[str]) -> None:
    """The outcome and the teacher's notification together; the stored file goes first
    (the grades are in the database now, or nothing is)."""
    job.upload.delete(save=False)
    job.finished_at = timezone.now()
    job.save(update_fields=[*fields, "upload"])
    if job.requested_by_id:
        notification_send(
            recipients=[job.requested_by_id],
            title=(gettext_noop("Gradebook import done: %(file)s") if job.status == GradebookImport.Status.DONE
                   else gettext_noop("Gradebook import not applied: %(file)s")),
            params={"file": job.upload_name},
            url=reverse("teachers:gradebook_import_status", args=[job.offering_id, job.pk]))


def _give_up(job: GradebookImport) -> None:
    job.status = GradebookImport.Status.FAILED
    job.message = gettext_noop("The worker importing this file stopped responding; nothing was imported. "
                               "Upload the file again.")
    _finish(job, ["status", "message", "finished_at"])


def gradebook_imports_sweep(*, now=None) -> dict[str, int]:
    """Run by beat (teachers.tasks.gradebook_imports_sweep_task).

    - running, heartbeat silent: its worker was lost. Re-queued while runs remain, else
      failed with a reason the teacher reads (page and notification).
    - queued, last sent more than GRADEBOOK_IMPORT_REQUEUE_SECONDS ago: sent again (the
      message may have been lost); a duplicate is harmless."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.GRADEBOOK_IMPORT_STALE_SECONDS)
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    to_send: list[int] = []
    running = GradebookImport.objects.filter(status=GradebookImport.Status.RUNNING)
    stale = running.filter(Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, created_at__lt=stale_before))
    for import_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            job = GradebookImport.objects.select_for_update(of=("self",)).filter(
                pk=import_id, status=GradebookImport.Status.RUNNING).select_related("requested_by").first()
            if job is None or _fresh(job.heartbeat_at or job.started_at, now):
                continue
            if job.attempts >= settings.GRADEBOOK_IMPORT_MAX_ATTEMPTS:
                _give_up(job)
                counts["failed"] += 1
                continue
            job.status, job.enqueued_at, job.rows_checked = GradebookImport.Status.QUEUED, now, 0
            job.save(update_fields=["status", "enqueued_at", "rows_checked"])
            audit_log_record(actor=None, action="grades.import_requeued", target=job, data={"attempts": job.attempts})
            counts["requeued"] += 1
            to_send.append(job.pk)
    resend_before = now - timedelta(seconds=settings.GRADEBOOK_IMPORT_REQUEUE_SECONDS)
    resend = list(GradebookImport.objects.filter(status=GradebookImport.Status.QUEUED).filter(
        Q(enqueued_at__lt=resend_before) | Q(enqueued_at__isnull=True, created_at__lt=resend_before))
        .values_list("pk", flat=True))
    GradebookImport.objects.filter(pk__in=resend).update(enqueued_at=now)
    counts["resent"] = len(resend)
    for import_id in to_send + resend:
        _resend(import_id)
    return counts


def _resend(import_id: int) -> None:
    """Send again; an unreachable broker leaves it queued for the next sweep."""
    from kombu.exceptions import OperationalError

    from .tasks import gradebook_import_task

    try:
        gradebook_import_task.delay(import_id)
    except (OperationalError, OSError):
        logger.warning("could not re-send gradebook import %s; the next sweep tries again", import_id, exc_info=True)


def gradebook_import_get_for_user(*, user: User, offering_id: int, import_id: int) -> GradebookImport:
    """An import of an offering the user may see (offering_get_for_user decides)."""
    offering = offering_get_for_user(user=user, offering_id=offering_id)
    job = get_object_or_404(GradebookImport.objects.select_related("requested_by"), pk=import_id, offering=offering)
    job.offering = offering
    return job


def import_message(job: GradebookImport) -> str:
    """A failed import's reason in the reader's language (stored as a msgid or as text)."""
    return _(job.message) if job.message else ""
