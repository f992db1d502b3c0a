"""Gradebook import and export (CSV and XLSX, streamed through accounts.spreadsheets).

An import is validated row by row — unknown student number, duplicate row, score
out of range, a row for another offering — and applied all at once or not at all.
The file's columns (header names in Chinese or English):
    student_number / 学号   (required)
    score / 成绩 / 总评      (required; empty = no grade yet)
    name / 姓名             (optional, ignored)
    course / 课程代码, term / 学期, class / 班级  (optional; when present they must match the offering)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.errors import ApplicationError
from accounts.models import User
from accounts.spreadsheets import csv_bytes, csv_rows, xlsx_bytes, xlsx_rows

from .models import CourseOffering, Enrolment
from .roster import student_numbers
from .services import grades_import_apply, score_parse

MAX_IMPORT_BYTES = 10 * 1024 * 1024
# An offering has tens of students, a whole year a few thousand: a file past this
# is a mistake (or an attack) and is refused before it costs anything.
MAX_IMPORT_ROWS = 10_000
# The page lists this many problems and counts the rest.
MAX_REPORTED_ERRORS = 100
COLUMN_ALIASES = {
    "student_number": {"student_number", "student number", "学号", "student_no", "number"},
    "score": {"score", "grade", "final grade", "成绩", "总评", "总评成绩", "final_grade"},
    "name": {"name", "姓名", "student", "student_name"},
    "course": {"course", "course_code", "课程代码", "课程"},
    "term": {"term", "学期", "term_code"},
    "class": {"class", "班级", "class_code"},
}
EXPORT_COLUMNS = ["student_number", "name", "score", "course", "term", "class"]


@dataclass
class ImportError_:
    row: int          # 1-based data row, as a spreadsheet shows it (header is row 1, so data starts at 2)
    student_number: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    applied: int = 0
    errors: list[ImportError_] = field(default_factory=list)
    error_count: int = 0  # every problem; `errors` keeps the first MAX_REPORTED_ERRORS

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def errors_not_listed(self) -> int:
        return self.error_count - len(self.errors)

    def add_error(self, row: int, student_number: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(ImportError_(row, student_number[:40], reason))


def _rows(upload_name: str, data: bytes) -> Iterator[list[str]]:
    name = upload_name.lower()
    if name.endswith(".xlsx"):
        return xlsx_rows(data, max_rows=MAX_IMPORT_ROWS)
    if name.endswith(".csv") or name.endswith(".txt"):
        return csv_rows(data, max_rows=MAX_IMPORT_ROWS)
    raise ApplicationError(_("Upload a .csv or .xlsx file."), code="file_type")


def _records(upload_name: str, data: bytes, required: tuple[str, ...] = ("student_number", "score"),
             missing_hint: str | None = None) -> Iterator[dict[str, str]]:
    """The data rows as {canonical column: text}; the header is checked first. Columns
    that are not aliases keep their lower-cased name (grade components match by code)."""
    rows = _rows(upload_name, data)
    header = next(rows, None)
    if header is None:
        raise ApplicationError(_("The file is empty."), code="file_empty")
    columns: list[str | None] = []
    for column in header:
        key = str(column).strip().lower()
        columns.append(next((canonical for canonical, aliases in COLUMN_ALIASES.items() if key in aliases), key or None))
    missing = [c for c in required if c not in columns]
    if missing and missing_hint:
        raise ApplicationError(missing_hint % {"columns": ", ".join(missing)}, code="file_columns")
    if missing:
        raise ApplicationError(
            _("Missing column(s): %(columns)s. Expected student_number and score (学号, 成绩).") % {"columns": ", ".join(missing)},
            code="file_columns",
        )
    for row in rows:
        if not any(cell.strip() for cell in row):
            yield {}  # a blank line keeps its row number but is skipped
            continue
        yield {key: row[i] if i < len(row) else "" for i, key in enumerate(columns) if key is not None}


def gradebook_rows_count(*, upload_name: str, data: bytes, limit: int = MAX_IMPORT_ROWS) -> int:
    """How many lines the file has (the header included), counting no further than
    `limit` + 1: a streaming read, no validation (that is the import's)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("The file is larger than 10 MB."), code="file_too_large")
    count = 0
    for _row in _rows(upload_name, data):
        count += 1
        if count > limit:
            break
    return count


PROGRESS_EVERY_ROWS = 200


def gradebook_import(*, actor: User, offering: CourseOffering, upload_name: str, data: bytes, reason: str = "",
                     required: tuple[str, ...] = ("student_number", "score"), missing_hint: str | None = None,
                     parse_row=None, apply=None, progress=None) -> ImportReport:
    """Validate every row, then apply all of them in one transaction — or none.
    `parse_row(row) -> value` and `apply(actor=, offering=, rows=[(enrolment_id, value)], reason=)`
    default to the final score; grade components (teachers.assessment.io) pass their own.
    `progress(rows_checked)` is called every PROGRESS_EVERY_ROWS rows (a worker's import)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("The file is larger than 10 MB."), code="file_too_large")
    parse_row = parse_row or (lambda row: score_parse(row.get("score")))
    apply = apply or grades_import_apply
    enrolments = dict(Enrolment.objects.filter(offering=offering).values_list("student_id", "pk"))
    roster = {number: enrolments[user_id]
              for user_id, number in student_numbers(user_ids=enrolments).items()}
    expected = {
        "course": {offering.course.code.lower()},
        "term": {offering.term.code.lower()},
        "class": {offering.school_class.code.lower(), offering.school_class.name.lower()},
    }
    report = ImportReport()
    seen: dict[str, int] = {}
    valid: list[tuple[int, Decimal | None]] = []
    for i, row in enumerate(_records(upload_name, data, required=required, missing_hint=missing_hint)):
        line = i + 2
        if progress is not None and i and i % PROGRESS_EVERY_ROWS == 0:
            progress(i)
        if not row:
            continue
        report.rows += 1
        number = row.get("student_number", "").strip()
        if not number:
            report.add_error(line, number, _("The student number is empty."))
            continue
        wrong = [key for key in ("course", "term", "class")
                 if key in row and row[key].strip() and row[key].strip().lower() not in expected[key]]
        if wrong:
            report.add_error(line, number, _("This row is for another offering (%(fields)s: %(values)s).") % {
                "fields": ", ".join(wrong), "values": ", ".join(row[k].strip()[:40] for k in wrong)})
            continue
        if number in seen:
            report.add_error(line, number, _("Duplicate row: this student is already on row %(row)s.") % {"row": seen[number]})
            continue
        seen[number] = line
        enrolment_id = roster.get(number)
        if enrolment_id is None:
            report.add_error(line, number, _("Unknown student number: not on this offering's roster."))
            continue
        try:
            score = parse_row(row)
        except ApplicationError as exc:
            report.add_error(line, number, str(exc.message))
            continue
        valid.append((enrolment_id, score))
    if report.error_count:
        return report
    if not report.rows:
        raise ApplicationError(_("The file has no data rows."), code="file_empty")
    report.applied = apply(actor=actor, offering=offering, rows=valid, reason=reason)
    return report


def gradebook_rows_for_export(*, offering: CourseOffering) -> list[list[str]]:
    rows = list(Enrolment.objects.filter(offering=offering)
                .values_list("student_id", "student__display_name", "student__username", "score"))
    numbers = student_numbers(user_ids=[row[0] for row in rows])
    course, term, klass = offering.course.code, offering.term.code, offering.school_class.code
    return sorted(
        ([numbers.get(user_id, ""), display_name or username, "" if score is None else f"{Decimal(score).normalize():f}",
          course, term, klass]
         for user_id, display_name, username, score in rows),
        key=lambda row: row[0],
    )


def gradebook_export(*, offering: CourseOffering, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, filename) of the gradebook; it re-imports as is. Names
    that look like formulas are written as text (accounts.spreadsheets)."""
    from .assessment.io import component_columns_add

    columns, rows = component_columns_add(EXPORT_COLUMNS, gradebook_rows_for_export(offering=offering),
                                          offering=offering)
    stem = f"gradebook-{offering.course.code}-{offering.term.code}-{offering.school_class.code}"
    if fmt == "xlsx":
        return (xlsx_bytes(columns, rows, sheet="gradebook"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{stem}.xlsx")
    return csv_bytes(columns, rows), "text/csv; charset=utf-8", f"{stem}.csv"
