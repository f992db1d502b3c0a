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
