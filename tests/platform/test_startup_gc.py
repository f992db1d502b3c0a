"""manage.py pauses the garbage collector while the apps load (issue 17: start-up time) and
the last app's ready() switches it back on: a command never runs with it off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_that_resumes_the_collector_is_the_last_project_app():
    assert settings.INSTALLED_APPS[-1] == "admin_portal"


def test_a_management_command_runs_with_the_collector_on_and_start_up_frozen():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "import gc; print(gc.isenabled(), gc.get_freeze_count() > 10000)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "True True"


def test_resume_is_a_no_op_where_the_collector_was_never_paused():
    import gc

    from platform_site.startup import gc_resume

    frozen = gc.get_freeze_count()
    gc_resume()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_the_wsgi_application_loads_every_view_and_freezes_it():
    """gunicorn imports platform_site.wsgi: the URLconf (every view module) is loaded and frozen
    with the rest, so the collector's full passes no longer walk it on every worker."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = ("import gc, sys; import platform_site.wsgi; "
            "print(gc.isenabled(), 'admin_portal.views' in sys.modules, gc.get_freeze_count() > 50000)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "True True True"
