"""What an uploaded resource really is: decided by its bytes, not its name.

Each kind accepts a set of formats; the file's extension must name the format its
content shows (magic bytes, a readable OOXML/ZIP directory, or UTF-8 text without NUL
bytes). Anything else is refused with the reason."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError

from .models import Resource

# format → (content type, extensions)
FORMATS = {
    "pdf": ("application/pdf", {".pdf"}),
    "png": ("image/png", {".png"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "mp4": ("video/mp4", {".mp4", ".m4v"}),
    "webm": ("video/webm", {".webm"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", {".pptx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "zip": ("application/zip", {".zip"}),
    "csv": ("text/csv", {".csv"}),
    "json": ("application/json", {".json"}),
    "txt": ("text/plain", {".txt", ".md"}),
}
KIND_FORMATS = {
    Resource.Kind.COURSEWARE: {"pdf", "pptx", "docx", "xlsx", "png", "jpeg", "zip"},
    Resource.Kind.VIDEO: {"mp4", "webm"},
    Resource.Kind.DATASET: {"csv", "json", "xlsx", "zip", "txt"},
    Resource.Kind.CASE: {"pdf", "docx", "pptx", "zip", "png", "jpeg"},
}
MB = 1024 * 1024


def max_bytes(kind: str) -> int:
    limits = getattr(settings, "RESOURCE_MAX_BYTES", {})
    default = 200 * MB if kind == Resource.Kind.VIDEO else 50 * MB
    return int(limits.get(kind, default))


@dataclass
class Checked:
    format: str
    content_type: str


def _zip_format(head: bytes, data: bytes | None, path=None) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
        names = set(archive.namelist()[:2000])
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ApplicationError(_("The file claims to be an archive but cannot be opened."), code="bad_zip") from None
    if "[Content_Types].xml" in names:
        for prefix, fmt in (("word/", "docx"), ("ppt/", "pptx"), ("xl/", "xlsx")):
            if any(n.startswith(prefix) for n in names):
                return fmt
    return "zip"


def sniff(*, head: bytes, read_all) -> str:
    """The format the bytes show. `read_all()` returns the whole content (zip/text checks)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(head, read_all())
    data = read_all()
    if b"\x00" in data:
        raise ApplicationError(_("The file contains NUL bytes and is not a format we accept."), code="nul_bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(_("The file's content is not a format we accept."), code="unknown_format") from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            json.loads(text)
            return "json"
        except ValueError:
            pass
    return "text"


def content_check(*, name: str, size: int, head: bytes, read_all, formats: set[str], limit: int,
                  refused_as: str) -> Checked:
    """The one content rule for uploads in the teachers app: not empty, within `limit`
    bytes (else 413), a plain file name, a format shown by the bytes that the extension
    names and that `formats` accepts (`refused_as` names the use in the refusal)."""
    if size <= 0:
        raise ApplicationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ApplicationError(_("The file is larger than %(mb)d MB, the limit for this kind.") % {"mb": limit // MB},
                               code="too_large", status_code=413)
    if "\x00" in name or "/" in name or "\\" in name or len(name) > 200:
        raise ApplicationError(_("The file name is not acceptable."), code="file_name")
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    fmt = sniff(head=head, read_all=read_all)
    if fmt == "text":  # plain text: the extension says which text format it is
        fmt = {".csv": "csv", ".json": "json"}.get(ext, "txt")
        if fmt == "json":
            raise ApplicationError(_("The file is named .json but is not valid JSON."), code="bad_json")
    content_type, extensions = FORMATS[fmt]
    if ext not in extensions:
        raise ApplicationError(_("The file is named %(ext)s but its content is %(format)s.")
                               % {"ext": ext or "—", "format": fmt.upper()}, code="mismatch")
    if fmt not in formats:
        raise ApplicationError(_("%(format)s files are not accepted as %(kind)s.")
                               % {"format": fmt.upper(), "kind": refused_as}, code="format_for_kind")
    return Checked(format=fmt, content_type=content_type)


def upload_check(*, kind: str, name: str, size: int, head: bytes, read_all) -> Checked:
    if kind not in KIND_FORMATS:
        raise ApplicationError(_("Unknown resource kind."), code="kind")
    return content_check(name=name, size=size, head=head, read_all=read_all, formats=KIND_FORMATS[kind],
                         limit=max_bytes(kind), refused_as=str(Resource.Kind(kind).label))


def uploaded_file_check(upload, *, formats: set[str], limit: int, refused_as: str) -> Checked:
    """`content_check` on a Django UploadedFile (left at position 0)."""
    if upload is None:
        raise ApplicationError(_("Choose a file."), code="no_file")
    upload.seek(0)
    head = upload.read(64)

    def read_all() -> bytes:
        upload.seek(0)
        return upload.read()

    checked = content_check(name=upload.name or "", size=upload.size or 0, head=head, read_all=read_all,
                            formats=formats, limit=limit, refused_as=refused_as)
    upload.seek(0)
    return checked
