"""Media-storage helpers shared by the job and registry services."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def save_over(name: str, content: bytes) -> str:
    """Deterministic names: a rerun overwrites instead of adding files."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))
