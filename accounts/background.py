"""Background tasks seen from the people they work for.

- Who started a task: the request's user rides along in a message header
  (``chanjiao_user_id``), set when a task is published during a request.
- A task that fails is recorded (:class:`TaskFailure`) and its starter is notified in
  their language; school administrators list every failure (admin_portal).
- Every worker writes a :class:`WorkerHeartbeat` row, so /healthz can tell whether
  each queue has a live worker.

Connected in ``AccountsConfig.ready``."""

from __future__ import annotations

import contextvars
import logging
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .models import TaskFailure, WorkerHeartbeat

logger = logging.getLogger(__name__)

USER_HEADER = "chanjiao_user_id"
current_request: contextvars.ContextVar = contextvars.ContextVar("chanjiao_current_request", default=None)


class TaskOriginMiddleware:
    """Remember the request while it is handled, so tasks it publishes carry its user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def _request_user_id() -> int | None:
    request = current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user.pk if user is not None and user.is_authenticated else None


def on_before_task_publish(sender=None, headers=None, **kwargs) -> None:
    user_id = _request_user_id()
    if headers is not None and user_id is not None and USER_HEADER not in headers:
        headers[USER_HEADER] = user_id


def _task_user_id(task) -> int | None:
    request = getattr(task, "request", None)
    value = getattr(request, USER_HEADER, None) if request is not None else None
    if value is None and request is not None and isinstance(getattr(request, "headers", None), dict):
        value = request.headers.get(USER_HEADER)
    if value is None:  # run eagerly, inside the request that started it
        value = _request_user_id()
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _json_safe(values) -> list:
    return [v if isinstance(v, int | float | bool | str) or v is None else repr(v)[:200] for v in (values or [])]


def task_failure_record(*, task_name: str, task_id: str = "", user_id: int | None, error: str,
                        arguments=None, notify: bool = True) -> TaskFailure:
    """Record a failed background task and tell the user who started it (``notify=False``
    when the caller tells them in its own words, as the lab's jobs do)."""
    from .services import notification_send

    with transaction.atomic():
        failure = TaskFailure.objects.create(task_name=task_name[:200], task_id=(task_id or "")[:64], user_id=user_id,
                                             error=error[:4000], arguments=_json_safe(arguments))
        if user_id is not None and notify:
            notification_send(
                recipients=[user_id], title=gettext_noop("A background task failed: %(task)s"),
                params={"task": task_name.rsplit(".", 1)[-1]},
                body=gettext_noop("It did not finish. The school administrators can see the details; try again later."),
            )
    return failure


def on_task_failure(sender=None, task_id=None, exception=None, args=None, **kwargs) -> None:
    name = getattr(sender, "name", str(sender))
    try:
        close_old_connections()
        task_failure_record(task_name=name, task_id=task_id or "", user_id=_task_user_id(sender),
                            error=f"{exception.__class__.__name__}: {exception}", arguments=args)
    except Exception:  # noqa: BLE001 - recording must never hide the original failure
        logger.exception("could not record the failure of task %s", name)


def task_failures_list():
    """Every recorded failure, newest first (the school administrators' page)."""
    return TaskFailure.objects.select_related("user").order_by("-occurred_at", "-id")


# --- Worker heartbeats -------------------------------------------------------------------

def worker_heartbeat_write(*, hostname: str, queues: list[str], started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:200], defaults={"queues": sorted(queues), "started_at": started_at, "seen_at": timezone.now()})


def live_workers_by_queue() -> dict[str, list[str]]:
    """{queue: [hostname, ...]} for every configured queue, live workers only."""
    fresh = timezone.now() - timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS)
    by_queue: dict[str, list[str]] = {q.name: [] for q in settings.CELERY_TASK_QUEUES}
    for beat in WorkerHeartbeat.objects.filter(seen_at__gte=fresh).only("hostname", "queues"):
        for queue in beat.queues:
            by_queue.setdefault(queue, []).append(beat.hostname)
    return by_queue


class _HeartbeatThread(threading.Thread):
    def __init__(self, hostname: str, queues: list[str]):
        super().__init__(name="chanjiao-worker-heartbeat", daemon=True)
        self.hostname, self.queues, self.started_at = hostname, queues, timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                worker_heartbeat_write(hostname=self.hostname, queues=self.queues, started_at=self.started_at)
            except Exception:  # noqa: BLE001 - the database may be briefly unreachable; try again next beat
                logger.warning("worker heartbeat not written", exc_info=True)
            finally:
                connection.close()
            self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)


_heartbeat: _HeartbeatThread | None = None


def on_worker_ready(sender=None, **kwargs) -> None:
    global _heartbeat
    hostname = getattr(sender, "hostname", None) or socket.gethostname()
    queues = list(sender.app.amqp.queues.consume_from.keys()) if sender is not None else []
    _heartbeat = _HeartbeatThread(hostname, queues)
    _heartbeat.start()


def on_worker_shutdown(sender=None, **kwargs) -> None:
    if _heartbeat is not None:
        _heartbeat.stopped.set()
        try:
            WorkerHeartbeat.objects.filter(hostname=_heartbeat.hostname).delete()
        except Exception:  # noqa: BLE001
            logger.warning("worker heartbeat not removed", exc_info=True)


def connect_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(on_before_task_publish, dispatch_uid="chanjiao-task-origin")
    signals.task_failure.connect(on_task_failure, dispatch_uid="chanjiao-task-failure")
    signals.worker_ready.connect(on_worker_ready, dispatch_uid="chanjiao-worker-ready")
    signals.worker_shutdown.connect(on_worker_shutdown, dispatch_uid="chanjiao-worker-shutdown")
