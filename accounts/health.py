"""``/healthz``: is this deployment able to work?

Checks the database, the cache, the broker and that every queue has a live worker
(workers write heartbeats, accounts/background.py). 200 when all pass, 503 otherwise;
the JSON says which failed. ``?scope=web`` checks only what the web process itself
needs (database, cache): the proxy's and the orchestrator's probe of a web container,
which must not restart the web tier because a worker is down.

Served by :class:`HealthCheckMiddleware`, first in the chain: probes come from inside
the deployment (the proxy, docker) with whatever Host header they have and over plain
HTTP, so they skip host validation and the HTTPS redirect."""

from __future__ import annotations

import uuid

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


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check(_database), "cache": _check(_cache)}
    if request.GET.get("scope") != "web":
        checks["broker"] = _check(_broker)
        checks["workers"] = _check(_workers)
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "failing", "checks": checks}, status=200 if ok else 503)


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in ("/healthz", "/healthz/"):
            return healthz(request)
        return self.get_response(request)
