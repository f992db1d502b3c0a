"""Keeping jobs alive through faults: enqueueing that survives an unreachable broker,
the heartbeat a worker writes while it runs a job or a training run, and the sweep
(a beat task) that re-queues or fails what a lost worker left behind.

- A job is enqueued after commit; if the broker is unreachable the job stays queued
  with its ``enqueued_at`` and the sweep sends it again later.
- While a worker runs a job, a thread writes ``heartbeat_at`` every
  DEEPFAKE_HEARTBEAT_SECONDS. A running job whose heartbeat is older than
  DEEPFAKE_STALE_SECONDS lost its worker (``kill -9``, a lost machine): the sweep
  re-queues it, up to DEEPFAKE_MAX_ATTEMPTS runs, then fails it with a reason the user
  reads on the job's page and in a notification.
- Tasks are idempotent and results are stored once under a row lock, so a duplicate
  message (a re-send, a redelivery) is harmless."""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)


def enqueue(task, object_id: int) -> bool:
    """Send ``task(object_id)``; never raise. False when the broker could not be reached
    (the object stays queued; the sweep sends it again)."""
    from kombu.exceptions import OperationalError

    try:
        task.apply_async((object_id,), retry=True, retry_policy=settings.DEEPFAKE_PUBLISH_RETRY_POLICY)
    except (OperationalError, OSError):  # the broker is down: the sweep will re-send
        logger.warning("could not enqueue %s(%s); the sweep will send it again", task.name, object_id, exc_info=True)
        return False
    return True


def heartbeat_is_fresh(heartbeat_at, now=None) -> bool:
    now = now or timezone.now()
    return heartbeat_at is not None and heartbeat_at >= now - timedelta(seconds=settings.DEEPFAKE_STALE_SECONDS)


@contextlib.contextmanager
def beating(model, object_id: int, *, running_status: str):
    """Write ``heartbeat_at`` every DEEPFAKE_HEARTBEAT_SECONDS while the block runs.
    Inside a caller's transaction (a job run eagerly in a test) no one else could see
    the beats, so none are written."""
    if connection.in_atomic_block:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.DEEPFAKE_HEARTBEAT_SECONDS):
                try:
                    model.objects.filter(pk=object_id, status=running_status).update(heartbeat_at=timezone.now())
                except Exception:  # noqa: BLE001 - a missed beat is retried at the next one
                    logger.warning("heartbeat of %s %s not written", model.__name__, object_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{model.__name__}-{object_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
