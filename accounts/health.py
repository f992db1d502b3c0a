"""``/healthz``: is this deployment able to work?

Checks the database, the cache, the broker and that every queue has a live worker
(workers write heartbeats, accounts/background.py). 200 when all pass, 503 otherwise.
``?scope=web`` checks only what the web process itself needs (database, cache): the
proxy's and the orchestrator's probe of a web container, which must not restart the
web tier because a worker is down.

The public answer is only ``{"status": "ok" | "failing"}``: which check failed, the
queues and the workers' host names are internals. They come with the answer when the
request carries the ``X-Health-Token`` header equal to ``HEALTHZ_TOKEN`` (monitoring;
no token configured: never), and from ``/api/v1/health/`` for school administrators
(signed in, or with their API token).

Served by :class:`HealthCheckMiddleware`, first in the chain: probes come from inside
the deployment (the proxy, docker) with whatever Host header they have and over plain
HTTP, so they skip host validation and the HTTPS redirect."""

from __future__ import annotations

import hmac
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check(fn) -> dict:
    try:
        detail = fn()
    except Exception as exc:  # noqa: BLE001 - a health check reports, it does not raise
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, **(detail or {})}  # a detail may set "ok" itself


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"healthz-{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache read back nothing")
    cache.delete(key)


def _broker() -> None:
    from platform_site.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)


def _workers() -> dict:
    from .background import live_workers_by_queue

    by_queue = live_workers_by_queue()
    missing = sorted(queue for queue, hosts in by_queue.items() if not hosts)
    return {"ok": not missing, "queues": by_queue, "without_worker": missing}


def health_report(*, scope: str = "") -> tuple[bool, dict]:
    """Every check (only the web process's own with scope="web"): (all passed, the details)."""
    checks = {"database": _check(_database), "cache": _check(_cache)}
    if scope != "web":
        checks["broker"] = _check(_broker)
        checks["workers"] = _check(_workers)
    return all(c["ok"] for c in checks.values()), checks


def _token_presented(request) -> bool:
    expected = getattr(settings, "HEALTHZ_TOKEN", "")
    given = request.headers.get("X-Health-Token", "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@never_cache
@require_GET
def healthz(request):
    ok, checks = health_report(scope=request.GET.get("scope", ""))
    body: dict = {"status": "ok" if ok else "failing"}
    if _token_presented(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if ok else 503)


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in ("/healthz", "/healthz/"):
            return healthz(request)
        return self.get_response(request)
