"""Background work that survives a lost worker, for every app: the heartbeat a worker
writes while it runs a long task, and the test a sweep (a beat task) uses to tell a live
run from one whose worker was killed. The lab's detection jobs and training runs
(deepfake.services.liveness) and big gradebook imports (teachers.gradebook_jobs) use it."""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)


def heartbeat_is_fresh(heartbeat_at, *, stale_seconds: int, now=None) -> bool:
    now = now or timezone.now()
    return heartbeat_at is not None and heartbeat_at >= now - timedelta(seconds=stale_seconds)


@contextlib.contextmanager
def beating(model, object_id: int, *, running_status: str, every: float):
    """Write ``heartbeat_at`` on the row every ``every`` seconds while the block runs.
    Inside a caller's transaction (a task run eagerly in a test) no one else could see
    the beats, so none are written."""
    if connection.in_atomic_block:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
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
