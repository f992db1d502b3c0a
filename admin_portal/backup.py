"""Backups of the whole deployment: the database and every media file.

A backup is one folder (``chanjiao-backup-<UTC time>/``) with:
- ``database.dump``    PostgreSQL, ``pg_dump --format=custom`` (restored with pg_restore), or
  ``database.sqlite3`` the embedded default, copied with SQLite's online backup API;
- ``media.tar``        every file of the media storage (filesystem or S3), read through
  Django's storage API, so a backup of one kind restores into the other;
- ``manifest.json``    what is inside, row counts of every table, file count and bytes.

Restore goes into an EMPTY database (it refuses one that has tables) and writes the media
files through the storage API. The commands: ``manage.py backup`` and ``manage.py restore``
(docs/operations.md)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection

from accounts.errors import ApplicationError


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _pg_args(settings_dict: dict) -> list[str]:
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    return args


def _walk(storage, folder: str = ""):
    dirs, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in dirs:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if table in counts or model._meta.proxy or not model._meta.managed:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def backup_create(*, out_dir: str | Path) -> Path:
    target = Path(out_dir) / f"chanjiao-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    target.mkdir(parents=True)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target / "database.dump"),
                        *_pg_args(db)], check=True, env=_pg_env(db))
        database = "database.dump"
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / "database.sqlite3") as copy:
            connection.connection.backup(copy)
        database = "database.sqlite3"
    else:
        raise ApplicationError(f"no backup for {connection.vendor}")
    files, size = 0, 0
    with tarfile.open(target / "media.tar", "w") as tar:
        for name in _walk(default_storage):
            with default_storage.open(name, "rb") as handle:
                info = tarfile.TarInfo(name)
                info.size = default_storage.size(name)
                tar.addfile(info, handle)
            files, size = files + 1, size + info.size
    manifest = {"created_at": datetime.now(UTC).isoformat(), "vendor": connection.vendor, "database": database,
                "tables": table_counts(), "media_files": files, "media_bytes": size}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return target


def _pg_is_empty(url_env: dict, args: list[str]) -> bool:
    result = subprocess.run(["psql", "-Atc", "SELECT count(*) FROM information_schema.tables "
                             "WHERE table_schema = 'public'", *args], check=True, env=url_env,
                            capture_output=True, text=True)
    return result.stdout.strip() == "0"


def backup_restore(*, backup_dir: str | Path, database_url: str, storage=None) -> dict:
    """Restore the backup into the EMPTY database at ``database_url`` and its media files
    into ``storage`` (the configured media storage by default)."""
    import dj_database_url

    backup_dir = Path(backup_dir)
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    target = dj_database_url.parse(database_url)
    if manifest["vendor"] == "postgresql":
        if not target["ENGINE"].endswith("postgresql"):
            raise ApplicationError("a PostgreSQL backup restores into PostgreSQL")
        args, env = _pg_args(target), _pg_env(target)
        if not _pg_is_empty(env, args):
            raise ApplicationError(f"the database {target['NAME']} is not empty; restore into an empty one")
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", *args, str(backup_dir / "database.dump")],
                       check=True, env=env)
    else:
        path = Path(target["NAME"])
        if path.exists() and path.stat().st_size > 0:
            raise ApplicationError(f"{path} exists; restore into a new file")
        shutil.copyfile(backup_dir / "database.sqlite3", path)
    storage = storage or default_storage
    restored = 0
    with tarfile.open(backup_dir / "media.tar") as tar:
        for member in tar:
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                continue
            if storage.exists(member.name):
                storage.delete(member.name)
            storage.save(member.name, File(tar.extractfile(member), name=member.name))
            restored += 1
    return {"tables": manifest["tables"], "media_files": restored}
