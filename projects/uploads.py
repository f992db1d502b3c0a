"""Deliverable uploads checked by content: the bytes must be what the name claims (PDF,
image, Office/zip archive or UTF-8 text), within the size limit. The client's name is
displayed only; files are stored under a generated name."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.errors import ApplicationError

MAX_UPLOAD_BYTES = getattr(settings, "PROJECTS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

# extension -> (content type, family)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "image"),
    "jpg": ("image/jpeg", "image"),
    "jpeg": ("image/jpeg", "image"),
    "zip": ("application/zip", "zip"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "office"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "office"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "office"),
    "txt": ("text/plain", "text"),
    "md": ("text/markdown", "text"),
    "csv": ("text/csv", "text"),
}


@dataclass
class CheckedUpload:
    data: bytes
    extension: str
    content_type: str
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def _reject(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code, status_code=400)


def _check_name(name: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name or "\x00" in name or "/" in name or "\\" in name or name.startswith("."):
        raise _reject(_("The file name is not allowed."), "unsafe_file_name")
    if "." not in name:
        raise _reject(_("The file name needs an extension."), "no_extension")
    extension = name.rsplit(".", 1)[1].lower()
    if extension not in ALLOWED:
        raise _reject(_("Upload a PDF, PNG, JPEG, ZIP, DOCX, XLSX, PPTX, TXT, MD or CSV file."), "unsupported_type")
    return "".join(ch for ch in name if ch.isprintable())[-120:], extension


def _matches(family: str, extension: str, data: bytes) -> bool:
    if family == "pdf":
        return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]
    if family == "image":
        expected = "PNG" if extension == "png" else "JPEG"
        try:
            with Image.open(io.BytesIO(data)) as img:
                if img.format != expected:
                    return False
                img.verify()
        except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
            return False
        return True
    if family in {"zip", "office"}:
        if not data.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                if archive.testzip() is not None:
                    return False
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            return False
        return family == "zip" or "[Content_Types].xml" in names
    if family == "text":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def check_upload(uploaded) -> CheckedUpload:
    """Validate an uploaded file; raise ApplicationError (400) with a clear message."""
    if uploaded is None:
        raise _reject(_("Choose a file to upload."), "no_file")
    name, extension = _check_name(getattr(uploaded, "name", ""))
    size = getattr(uploaded, "size", None) or 0
    if size <= 0:
        raise _reject(_("The file is empty."), "empty_file")
    if size > MAX_UPLOAD_BYTES:
        raise _reject(_("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
                      "file_too_large")
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    content_type, family = ALLOWED[extension]
    if not _matches(family, extension, data):
        raise _reject(_("The file is not a valid .%(extension)s file: its content does not match its name.")
                      % {"extension": extension}, "content_mismatch")
    return CheckedUpload(data=data, extension=extension, content_type=content_type, original_name=name,
                         sha256=hashlib.sha256(data).hexdigest())


def stored_file_fields(checked: CheckedUpload, *, actor) -> dict:
    """Field values for a StoredFile subclass (the file is saved by the caller)."""
    return {"original_name": checked.original_name, "content_type": checked.content_type,
            "size_bytes": checked.size, "sha256": checked.sha256, "uploaded_by": actor}
