"""Process start-up helpers."""

from __future__ import annotations

import gc


def gc_resume() -> None:
    """Switch the garbage collector back on after start-up (manage.py pauses it while the apps
    load). What start-up created is frozen: it lives as long as the process, so later passes
    skip it. A no-op where the collector was never paused (gunicorn, Celery, pytest)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def web_process_ready() -> None:
    """For a long-running web process, once its application is built (platform_site.wsgi):
    import the URLconf, which imports every view module, and freeze everything the process
    holds so far. Otherwise those few hundred thousand objects, created after start-up's
    freeze, sit in the oldest generation and every full collection walks them: on the
    dashboard, whose cached figures unpickle tens of thousands of objects a request, that was
    one request in seven taking 80–110 ms longer (benchmarks/dashboard.py)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point
    gc.freeze()
