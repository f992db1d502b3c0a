"""The embedded default's database settings and the per-run test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_sqlite_is_set_up_for_a_web_process_and_a_worker():
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default only (SQLite)")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000
    assert connection.transaction_mode == "IMMEDIATE"


def test_each_test_run_has_its_own_folder_for_database_and_media():
    run_dir = Path(os.environ["CHANJIAO_TEST_RUN_DIR"])
    assert run_dir.name.startswith("chanjiao-test-") and run_dir.is_dir()
    assert Path(settings.MEDIA_ROOT).is_relative_to(run_dir) or os.environ.get("MEDIA_ROOT")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert Path(settings.DATABASES["default"]["TEST"]["NAME"]).parent == run_dir


def test_publishing_on_the_embedded_broker_prints_no_warning(tmp_path):
    """`make run` seeds the demo, which queues e-mails on the filesystem broker: kombu
    used to warn "No hostname was supplied" on the terminal for each."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL",
                                                            "DJANGO_SETTINGS_MODULE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "platform_site.settings.local", "CHANJIAO_DATA_DIR": str(tmp_path)})
    script = ("import django; django.setup()\n"
              "from platform_site.celery import app\n"
              "app.send_task('accounts.tasks.notification_email_task', args=[[0]])\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "No hostname" not in result.stderr + result.stdout
