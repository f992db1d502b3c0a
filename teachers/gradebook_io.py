"""Gradebook import and export (CSV and XLSX, via pandas + openpyxl).

An import is validated row by row — unknown student number, duplicate row, score
out of range, a row for another offering — and applied all at once or not at all.
The file's columns (header names in Chinese or English):
    student_number / 学号   (required)
    score / 成绩 / 总评      (required; empty = no grade yet)
    name / 姓名             (optional, ignored)
    course / 课程代码, term / 学期, class / 班级  (optional; when present they must match the offering)
"""

from __future__ import annotations

import importlib
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError
from accounts.models import User

from .models import CourseOffering, Enrolment
from .roster import student_numbers
from .services import grades_import_apply, score_parse

# Loaded on the first import or export, not when the URLs are imported (every manage.py call).
pd = SimpleLazyObject(lambda: importlib.import_module("pandas"))

MAX_IMPORT_BYTES = 10 * 1024 * 1024
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

    @property
    def ok(self) -> bool:
        return not self.errors


def _read(upload_name: str, data: bytes, required: tuple[str, ...] = ("student_number", "score"),
          missing_hint: str | None = None) -> pd.DataFrame:
    name = upload_name.lower()
    try:
        if name.endswith(".xlsx"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        elif name.endswith(".csv") or name.endswith(".txt"):
            text = data.decode("utf-8-sig") if not data.startswith(b"\xff\xfe") else data.decode("utf-16")
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
        else:
            raise ApplicationError(_("Upload a .csv or .xlsx file."), code="file_type")
    except ApplicationError:
        raise
    except UnicodeDecodeError:
        raise ApplicationError(_("The CSV file must be UTF-8 encoded."), code="file_encoding") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure is the user's file
        raise ApplicationError(_("The file could not be read: %(error)s") % {"error": exc}, code="file_unreadable") from None
    rename = {}
    for column in frame.columns:
        key = str(column).strip().lower()
        rename[column] = key  # other columns (grade components) are matched by their code
        for canonical, aliases in COLUMN_ALIASES.items():
            if key in aliases:
                rename[column] = canonical
    frame = frame.rename(columns=rename)
    missing = [c for c in required if c not in frame.columns]
    if missing and missing_hint:
        raise ApplicationError(missing_hint % {"columns": ", ".join(missing)}, code="file_columns")
    if missing:
        raise ApplicationError(
            _("Missing column(s): %(columns)s. Expected student_number and score (学号, 成绩).") % {"columns": ", ".join(missing)},
            code="file_columns",
        )
    return frame.fillna("")


def gradebook_import(*, actor: User, offering: CourseOffering, upload_name: str, data: bytes, reason: str = "",
                     required: tuple[str, ...] = ("student_number", "score"), missing_hint: str | None = None,
                     parse_row=None, apply=None) -> ImportReport:
    """Validate every row, then apply all of them in one transaction — or none.
    `parse_row(row) -> value` and `apply(actor=, offering=, rows=[(enrolment_id, value)], reason=)`
    default to the final score; grade components (teachers.assessment.io) pass their own."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("The file is larger than 10 MB."), code="file_too_large")
    parse_row = parse_row or (lambda row: score_parse(row.get("score")))
    apply = apply or grades_import_apply
    frame = _read(upload_name, data, required=required, missing_hint=missing_hint)
    enrolments = dict(Enrolment.objects.filter(offering=offering).values_list("student_id", "pk"))
    roster = {number: enrolments[user_id]
              for user_id, number in student_numbers(user_ids=enrolments).items()}
    expected = {
        "course": {offering.course.code.lower()},
        "term": {offering.term.code.lower()},
        "class": {offering.school_class.code.lower(), offering.school_class.name.lower()},
    }
    report = ImportReport(rows=len(frame))
    seen: dict[str, int] = {}
    valid: list[tuple[int, Decimal | None]] = []
    columns = list(frame.columns)
    for i, record in enumerate(frame.itertuples(index=False, name=None)):
        row = dict(zip(columns, record, strict=False))
        line = i + 2
        number = str(row.get("student_number", "")).strip()
        if number.endswith(".0") and number[:-2].isdigit():
            number = number[:-2]  # spreadsheets turn student numbers into floats
        if not number:
            report.errors.append(ImportError_(line, number, _("The student number is empty.")))
            continue
        wrong = [key for key in ("course", "term", "class")
                 if key in row and str(row[key]).strip() and str(row[key]).strip().lower() not in expected[key]]
        if wrong:
            report.errors.append(ImportError_(line, number, _("This row is for another offering (%(fields)s: %(values)s).") % {
                "fields": ", ".join(wrong), "values": ", ".join(str(row[k]).strip() for k in wrong)}))
            continue
        if number in seen:
            report.errors.append(ImportError_(line, number, _("Duplicate row: this student is already on row %(row)s.") % {"row": seen[number]}))
            continue
        seen[number] = line
        enrolment_id = roster.get(number)
        if enrolment_id is None:
            report.errors.append(ImportError_(line, number, _("Unknown student number: not on this offering's roster.")))
            continue
        try:
            score = parse_row(row)
        except ApplicationError as exc:
            report.errors.append(ImportError_(line, number, str(exc.message)))
            continue
        valid.append((enrolment_id, score))
    if report.errors:
        return report
    report.applied = apply(actor=actor, offering=offering, rows=valid, reason=reason)
    return report


def gradebook_frame(*, offering: CourseOffering) -> pd.DataFrame:
    rows = list(Enrolment.objects.filter(offering=offering)
                .values_list("student_id", "student__display_name", "student__username", "score"))
    numbers = student_numbers(user_ids=[row[0] for row in rows])
    rows = sorted(((numbers.get(user_id, ""), *rest) for user_id, *rest in rows), key=lambda row: row[0])
    frame = pd.DataFrame.from_records(rows, columns=["student_number", "display_name", "username", "score"])
    frame["name"] = frame["display_name"].where(frame["display_name"] != "", frame["username"])
    frame["score"] = frame["score"].map(lambda s: "" if s is None else f"{Decimal(s).normalize():f}")
    frame["course"] = offering.course.code
    frame["term"] = offering.term.code
    frame["class"] = offering.school_class.code
    return frame[EXPORT_COLUMNS]


def gradebook_export(*, offering: CourseOffering, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, filename) of the gradebook; it re-imports as is."""
    from .assessment.io import component_columns_add

    frame = component_columns_add(gradebook_frame(offering=offering), offering=offering)
    stem = f"gradebook-{offering.course.code}-{offering.term.code}-{offering.school_class.code}"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name="gradebook")
        return (buffer.getvalue(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{stem}.xlsx")
    # UTF-8 with BOM so that Excel opens Chinese names correctly.
    return frame.to_csv(index=False).encode("utf-8-sig"), "text/csv; charset=utf-8", f"{stem}.csv"
