"""Lab reports are PDFs, checked by content: the bytes must start with the PDF header, end with
an end-of-file marker, have a cross-reference (``startxref``), stay under the size limit, and a
PDF engine (pdfium) must open them and find 1..MAX_PAGES pages. A renamed Word file, a truncated
PDF or a text file called ``report.pdf`` is refused with the reason."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError

MAX_PAGES = 60


def max_report_bytes() -> int:
    return int(getattr(settings, "DEEPFAKE_LAB_REPORT_MAX_BYTES", 10 * 1024 * 1024))


@dataclass
class CheckedReport:
    data: bytes
    original_name: str
    pages: int
    sha256: str


def _reject(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=code, status_code=400)


def _display_name(name: str) -> str:
    name = (name or "").strip()
    if not name or "\x00" in name or "/" in name or "\\" in name or name.startswith(".."):
        raise _reject(_("The file name is not allowed."), "unsafe_file_name")
    return "".join(ch for ch in name if ch.isprintable())[-120:]


def pdf_page_count(data: bytes) -> int:
    """Pages pdfium finds in the bytes; raises ValueError when it cannot open them."""
    import pypdfium2 as pdfium  # lazy: a C library, only needed when a report arrives

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ValueError(str(exc)) from exc
    try:
        return len(document)
    finally:
        document.close()


def check_report(uploaded) -> CheckedReport:
    """Validate an uploaded lab report; ApplicationError (400) with the reason otherwise."""
    if uploaded is None:
        raise _reject(_("Choose a PDF file to upload."), "no_file")
    name = _display_name(getattr(uploaded, "name", ""))
    size = getattr(uploaded, "size", None) or 0
    if size <= 0:
        raise _reject(_("The file is empty."), "empty_file")
    limit = max_report_bytes()
    if size > limit:
        raise _reject(_("The report is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)},
                      "file_too_large")
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    uploaded.seek(0)
    if len(data) > limit:
        raise _reject(_("The report is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)},
                      "file_too_large")
    if not data.startswith(b"%PDF-1.") and not data.startswith(b"%PDF-2."):
        raise _reject(_("This is not a PDF file: lab reports are submitted as PDF."), "not_pdf")
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in data[-4096:]:
        raise _reject(_("The PDF is incomplete or damaged (no end-of-file marker); export it again."), "pdf_damaged")
    try:
        pages = pdf_page_count(data)
    except ValueError:
        raise _reject(_("The PDF is incomplete or damaged and cannot be opened; export it again."),
                      "pdf_damaged") from None
    if pages < 1:
        raise _reject(_("The PDF has no pages."), "pdf_empty")
    if pages > MAX_PAGES:
        raise _reject(_("The report has %(pages)d pages; at most %(max)d are accepted.") % {"pages": pages, "max": MAX_PAGES},
                      "pdf_too_long")
    return CheckedReport(data=data, original_name=name, pages=pages, sha256=hashlib.sha256(data).hexdigest())
