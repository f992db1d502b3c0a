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
