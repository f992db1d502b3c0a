"""Destination import and export (CSV and XLSX, streamed through accounts.spreadsheets,
reported like the gradebook import: every problem listed by row, nothing applied unless
every row is valid). Columns (English or Chinese headers):

    student_number / 学号           required
    round / 调查轮次                 graduation | 6m | 1y | 3y (毕业时, 半年, 一年, 三年); default graduation
    category / 去向                  employed | further_study | entrepreneurship | enlisted | flexible |
                                    not_employed (or the Chinese labels 就业, 升学, 创业, 参军, 灵活就业, 待就业)
    employer / 单位, position / 岗位, job_family / 职业类别, counterpart / 专业对口 (yes/no, 是/否),
    salary_band / 月薪, city / 城市, date / 日期 (YYYY-MM-DD)       optional
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from accounts.errors import ApplicationError
from accounts.models import User
from accounts.spreadsheets import csv_bytes, csv_rows, xlsx_bytes, xlsx_rows
from students.models import StudentProfile
from teachers.gradebook_io import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, ImportReport

from .models import Destination, SurveyRound
from .services import DestinationData, destination_validate, destinations_import_apply

COLUMN_ALIASES = {
    "student_number": {"student_number", "student number", "学号", "number"},
    "round": {"round", "survey_round", "调查轮次", "轮次"},
    "category": {"category", "destination", "去向", "毕业去向"},
    "employer": {"employer", "employer_name", "单位", "就业单位"},
    "position": {"position", "岗位", "职位"},
    "job_family": {"job_family", "job family", "职业类别"},
    "counterpart": {"counterpart", "专业对口", "对口"},
    "salary_band": {"salary_band", "salary", "月薪", "薪资"},
    "city": {"city", "城市"},
    "date": {"date", "started_on", "日期"},
    "name": {"name", "姓名"},
}
EXPORT_COLUMNS = ["student_number", "name", "round", "category", "employer", "position", "job_family",
                  "counterpart", "salary_band", "city", "date"]
CATEGORY_ALIASES = {"就业": "employed", "升学": "further_study", "创业": "entrepreneurship", "参军": "enlisted",
                    "入伍": "enlisted", "灵活就业": "flexible", "待就业": "not_employed", "未就业": "not_employed"}
ROUND_ALIASES = {"毕业时": "graduation", "半年": "6m", "一年": "1y", "三年": "3y", "": "graduation"}
YES = {"yes", "y", "true", "1", "是"}
NO = {"no", "n", "false", "0", "否"}


def _rows(upload_name: str, data: bytes):
    name = upload_name.lower()
    if name.endswith(".xlsx"):
        return xlsx_rows(data, max_rows=MAX_IMPORT_ROWS)
    if name.endswith(".csv") or name.endswith(".txt"):
        return csv_rows(data, max_rows=MAX_IMPORT_ROWS)
    raise ApplicationError(_("Upload a .csv or .xlsx file."), code="file_type")


def _records(upload_name: str, data: bytes):
    rows = _rows(upload_name, data)
    header = next(rows, None)
    if header is None:
        raise ApplicationError(_("The file is empty."), code="file_empty")
    columns = []
    for column in header:
        key = str(column).strip().lower()
        columns.append(next((c for c, aliases in COLUMN_ALIASES.items() if key in aliases), None))
    missing = [c for c in ("student_number", "category") if c not in columns]
    if missing:
        raise ApplicationError(_("Missing column(s): %(columns)s. Expected student_number and category (学号, 去向).")
                               % {"columns": ", ".join(missing)}, code="file_columns")
    for row in rows:
        if not any(cell.strip() for cell in row):
            yield {}
            continue
        yield {key: row[i].strip() if i < len(row) else "" for i, key in enumerate(columns) if key is not None}


def _parse(row: dict[str, str]) -> tuple[str, DestinationData, list[str]]:
    problems: list[str] = []
    kind = ROUND_ALIASES.get(row.get("round", ""), row.get("round", "").lower())
    if kind not in SurveyRound.Kind.values:
        problems.append(_("Unknown survey round “%(value)s”.") % {"value": row.get("round", "")[:40]})
    category = row.get("category", "")
    category = CATEGORY_ALIASES.get(category, category.lower())
    counterpart_text = row.get("counterpart", "").lower()
    counterpart = True if counterpart_text in YES else False if counterpart_text in NO else None
    if counterpart_text and counterpart is None:
        problems.append(_("Counterpart must be yes or no (是/否)."))
    started_on = None
    if row.get("date"):
        try:
            started_on = datetime.date.fromisoformat(row["date"][:10])
        except ValueError:
            problems.append(_("The date “%(value)s” is not YYYY-MM-DD.") % {"value": row["date"][:40]})
    data = DestinationData(category=category, employer_name=row.get("employer", ""), position=row.get("position", ""),
                           job_family=row.get("job_family", "").lower(), counterpart=counterpart,
                           salary_band=row.get("salary_band", ""), city=row.get("city", ""), started_on=started_on)
    for messages in destination_validate(data).values():
        problems.extend(str(m) for m in messages)
    return kind, data, problems


def destinations_import(*, actor: User, upload_name: str, data: bytes) -> ImportReport:
    """Validate every row, then apply all of them in one transaction — or none."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("The file is larger than 10 MB."), code="file_too_large")
    parsed: list[tuple[int, str, str, DestinationData]] = []
    report = ImportReport()
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(_records(upload_name, data)):
        line = i + 2
        if not row:
            continue
        report.rows += 1
        number = row.get("student_number", "")
        if not number:
            report.add_error(line, number, _("The student number is empty."))
            continue
        kind, record, problems = _parse(row)
        if problems:
            report.add_error(line, number, " ".join(problems))
            continue
        if (number, kind) in seen:
            report.add_error(line, number, _("Duplicate row: this student and round are already on row %(row)s.")
                             % {"row": seen[(number, kind)]})
            continue
        seen[(number, kind)] = line
        parsed.append((line, number, kind, record))
    students = {p.student_number: p for p in StudentProfile.objects.filter(
        student_number__in=[number for _l, number, _k, _r in parsed])}
    valid = []
    for line, number, kind, record in parsed:
        student = students.get(number)
        if student is None:
            report.add_error(line, number, _("Unknown student number."))
            continue
        if student.status != StudentProfile.Status.GRADUATED:
            report.add_error(line, number, _("This student has not graduated."))
            continue
        valid.append((student, kind, record))
    report.errors.sort(key=lambda e: e.row)
    if report.error_count:
        return report
    if not report.rows:
        raise ApplicationError(_("The file has no data rows."), code="file_empty")
    report.applied = destinations_import_apply(actor=actor, rows=valid)
    return report


def destinations_export(*, graduation_year: int | None, fmt: str) -> tuple[bytes, str, str]:
    """The destinations of a graduating class (all when None) in the import's columns;
    it re-imports as is. Cells that look like formulas are written as text."""
    qs = Destination.objects.select_related("student__user", "survey_round").order_by(
        "graduation_year", "student__student_number", "survey_round__opens_on")
    if graduation_year is not None:
        qs = qs.filter(graduation_year=graduation_year)
    rows = [[d.student.student_number, d.student.user.name_for_display, d.survey_round.kind, d.category,
             d.employer_name, d.position, d.job_family,
             "" if d.counterpart is None else ("yes" if d.counterpart else "no"), d.salary_band, d.city,
             d.started_on.isoformat() if d.started_on else ""] for d in qs]
    stem = f"destinations-{graduation_year or 'all'}"
    if fmt == "xlsx":
        return (xlsx_bytes(EXPORT_COLUMNS, rows, sheet="destinations"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{stem}.xlsx")
    return csv_bytes(EXPORT_COLUMNS, rows), "text/csv; charset=utf-8", f"{stem}.csv"
