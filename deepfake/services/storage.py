"""Media-storage helpers shared by the job and registry services."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def save_over(name: str, content: bytes) -> str:
    """Deterministic names: a rerun overwrites instead of adding files."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


@contextlib.contextmanager
def local_path(field_file) -> Iterator[str]:
    """A local file path for a stored file: the file itself on the filesystem storage,
    a temporary copy on object storage (S3), removed afterwards."""
    try:
        path = field_file.path
    except NotImplementedError:  # object storage has no local path
        path = None
    if path is not None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="chanjiao-media-") as tmp:
        target = Path(tmp) / Path(field_file.name).name
        with field_file.open("rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out, length=1024 * 1024)
        yield str(target)
