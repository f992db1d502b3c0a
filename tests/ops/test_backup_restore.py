"""A backup (database + media) restores into an empty database: the same rows, the
same files. PostgreSQL (pg_dump / pg_restore) in CI, SQLite on the embedded default."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from io import StringIO

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection

from accounts import services
from accounts.models import Role
from admin_portal.backup import backup_restore
from deepfake import services as lab
from tests.deepfake.conftest import face_path, jpeg_bytes, upload


def _restored_counts(database_url: str, tables: list[str]) -> dict[str, int]:
    if database_url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    import psycopg2

    with contextlib.closing(psycopg2.connect(database_url)) as db, db.cursor() as cursor:
        counts = {}
        for t in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{t}"')
            counts[t] = cursor.fetchone()[0]
        return counts


@pytest.fixture
def empty_database(transactional_db, tmp_path):
    """The URL of a new, empty database beside the test database."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg2

    name = f"{s['NAME']}_restored"
    auth = f"{s['USER']}{':' + s['PASSWORD'] if s.get('PASSWORD') else ''}@" if s.get("USER") else ""
    base = f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_backup_restores_into_an_empty_database(empty_database, tmp_path, make_user, faces):
    from deepfake.demo import register_shipped_model

    register_shipped_model()
    student = make_user(Role.STUDENT, username="backed_up")
    services.notification_send(recipients=[student], title="Kept in the backup")
    media = lab.media_upload(actor=student, uploaded_file=upload("f.jpg", jpeg_bytes(face_path(faces, "real", 3))))
    original = media.file.read()

    out = StringIO()
    call_command("backup", "--out", str(tmp_path / "backups"), stdout=out)
    backup_dir = out.getvalue().strip()
    manifest = json.loads((tmp_path / "backups" / backup_dir.rsplit("/", 1)[-1] / "manifest.json").read_text())
    assert manifest["tables"]["accounts_user"] == 1 and manifest["media_files"] >= 2  # the upload and the weights

    restored_media = FileSystemStorage(location=tmp_path / "restored-media")
    result = backup_restore(backup_dir=backup_dir, database_url=empty_database, storage=restored_media)
    assert result["media_files"] == manifest["media_files"]
    counts = _restored_counts(empty_database, list(manifest["tables"]))
    assert counts == manifest["tables"]
    assert counts["accounts_notification"] == 1 and counts["deepfake_media"] == 1
    assert restored_media.open(media.file.name).read() == original

    # A second restore into the same (no longer empty) database is refused.
    with pytest.raises(CommandError):
        call_command("restore", backup_dir, "--database-url", empty_database, stdout=StringIO())
