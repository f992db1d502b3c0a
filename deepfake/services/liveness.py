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

import logging

from django.conf import settings

from accounts import liveness

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
    return liveness.heartbeat_is_fresh(heartbeat_at, stale_seconds=settings.DEEPFAKE_STALE_SECONDS, now=now)


def beating(model, object_id: int, *, running_status: str):
    """Write ``heartbeat_at`` every DEEPFAKE_HEARTBEAT_SECONDS while the block runs."""
    return liveness.beating(model, object_id, running_status=running_status,
                            every=settings.DEEPFAKE_HEARTBEAT_SECONDS)
