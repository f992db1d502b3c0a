"""Gradebook: entering and correcting grades, the audit trail, import (CSV/XLSX,
all-or-nothing, bad rows reported) and export."""

import io
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse

from accounts.errors import ApplicationError
from accounts.models import AuditLog, Role
from students.models import CompetencyAttainment
from teachers.gradebook_io import gradebook_export, gradebook_import
from teachers.models import Enrolment, GradeChange
from teachers.services import grade_set, gradebook_save
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def book():
    teacher = UserFactory(role=Role.TEACHER, username="gb_teacher")
    major = make_major(competencies=("a", "b", "c"))
    make_program(major, 2024, [("GB1", 4, 1, {"a": 1, "b": 1}), ("GB2", 2, 1, {"c": 1})])
    school_class = make_class(major, 2024, code="gb-class")
    students = [make_student(school_class, number=f"2024000{i:03d}") for i in range(5)]
    offering = make_offering("GB1", make_term(), school_class, teacher=teacher)
    return {"teacher": teacher, "offering": offering, "students": students}


def _csv(rows, header="student_number,name,score"):
    return (header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n").encode()


def _scores(offering):
    return dict(Enrolment.objects.filter(offering=offering).values_list("student__student_profile__student_number", "score"))


def test_grade_set_records_who_when_and_updates_the_radar(book):
    enrolment = Enrolment.objects.get(offering=book["offering"], student=book["students"][0].user)
    grade_set(actor=book["teacher"], enrolment=enrolment, score="88")
    enrolment.refresh_from_db()
    assert enrolment.score == Decimal("88.00") and enrolment.graded_by == book["teacher"] and enrolment.graded_at
    att = CompetencyAttainment.objects.get(student=book["students"][0], competency__code="a")
    assert att.attainment == pytest.approx(0.88)
    with pytest.raises(ApplicationError):
        grade_set(actor=book["teacher"], enrolment=enrolment, score="90")  # a correction needs a reason
    grade_set(actor=book["teacher"], enrolment=enrolment, score="90", reason="re-marked exam")
    trail = list(GradeChange.objects.filter(enrolment=enrolment).order_by("id").values_list(
        "previous_score", "new_score", "reason"))
    assert trail == [(None, Decimal("88.00"), ""), (Decimal("88.00"), Decimal("90.00"), "re-marked exam")]
    assert CompetencyAttainment.objects.get(student=book["students"][0], competency__code="a").attainment == pytest.approx(0.9)
    assert AuditLog.objects.filter(action="grades.manual").count() == 2


@pytest.mark.parametrize("bad", ["101", "-1", "abc"])
def test_grade_out_of_range_is_refused(book, bad):
    enrolment = Enrolment.objects.get(offering=book["offering"], student=book["students"][0].user)
    with pytest.raises(ApplicationError):
        grade_set(actor=book["teacher"], enrolment=enrolment, score=bad)


def test_gradebook_form_is_all_or_nothing(book, client):
    enrolments = list(Enrolment.objects.filter(offering=book["offering"]).order_by("pk"))
    client.force_login(book["teacher"])
    url = reverse("teachers:gradebook", args=[book["offering"].pk])
    response = client.post(url, {f"score-{enrolments[0].pk}": "77", f"score-{enrolments[1].pk}": "140"})
    assert response.status_code == 400
    assert "outside 0–100" in response.content.decode() or "0–100" in response.content.decode()
    assert all(e.score is None for e in Enrolment.objects.filter(offering=book["offering"]))
    response = client.post(url, {f"score-{enrolments[0].pk}": "77", f"score-{enrolments[1].pk}": "64.5"})
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=enrolments[1].pk).score == Decimal("64.5")
    with pytest.raises(ApplicationError):
        gradebook_save(actor=book["teacher"], offering=book["offering"], scores={enrolments[0].pk: "70"})


def test_import_with_one_bad_row_changes_nothing_and_reports_each_row(book):
    numbers = [s.student_number for s in book["students"]]
    data = _csv([(numbers[0], "甲", 80), (numbers[1], "乙", 101), ("2099999999", "丙", 70), (numbers[0], "甲", 81),
                 (numbers[2], "丁", 75)])
    report = gradebook_import(actor=book["teacher"], offering=book["offering"], upload_name="g.csv", data=data)
    assert not report.ok and report.applied == 0
    reasons = {e.row: e.reason for e in report.errors}
    assert set(reasons) == {3, 4, 5}
    assert "0–100" in reasons[3]
    assert "Unknown student number" in reasons[4]
    assert "Duplicate" in reasons[5]
    assert set(_scores(book["offering"]).values()) == {None}
    assert not GradeChange.objects.exists()


def test_import_rejects_rows_of_another_offering(book):
    n = book["students"][0].student_number
    data = _csv([(n, 80, "GB1"), (book["students"][1].student_number, 70, "GB2")], header="学号,成绩,课程代码")
    report = gradebook_import(actor=book["teacher"], offering=book["offering"], upload_name="g.csv", data=data)
    assert [e.row for e in report.errors] == [3]
    assert "another offering" in report.errors[0].reason
    assert _scores(book["offering"])[n] is None


def test_good_xlsx_applies_atomically_and_export_round_trips(book):
    frame = pd.DataFrame({"学号": [s.student_number for s in book["students"]], "成绩": [90, 80.5, 70, "", 60]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    report = gradebook_import(actor=book["teacher"], offering=book["offering"], upload_name="g.xlsx",
                              data=buffer.getvalue())
    assert report.ok and report.applied == 4
    scores = _scores(book["offering"])
    assert scores[book["students"][1].student_number] == Decimal("80.50")
    assert scores[book["students"][3].student_number] is None
    assert GradeChange.objects.filter(source="import").count() == 4
    # The radar followed the import.
    assert CompetencyAttainment.objects.get(student=book["students"][0], competency__code="a").attainment == pytest.approx(0.9)
    for fmt in ("csv", "xlsx"):
        content, _type, name = gradebook_export(offering=book["offering"], fmt=fmt)
        assert name.endswith(fmt)
        again = gradebook_import(actor=book["teacher"], offering=book["offering"], upload_name=name, data=content)
        assert again.ok and again.applied == 0  # re-importing the export changes nothing


def test_import_of_5000_rows(db):
    teacher = UserFactory(role=Role.TEACHER, username="big_teacher")
    major = make_major(competencies=("a", "b", "c"))
    make_program(major, 2024, [("BIG1", 3, 1, {"a": 1})])
    school_class = make_class(major, 2024)
    from accounts.models import User
    from students.models import StudentProfile

    users = User.objects.bulk_create([User(username=f"bulk{i}", role=Role.STUDENT) for i in range(5000)])
    StudentProfile.objects.bulk_create([
        StudentProfile(user=u, student_number=f"2024{i:06d}", major=major, school_class=school_class, intake_year=2024)
        for i, u in enumerate(users)
    ])
    offering = make_offering("BIG1", make_term(), school_class, teacher=teacher)
    data = _csv([(f"2024{i:06d}", f"s{i}", 50 + i % 50) for i in range(5000)])
    report = gradebook_import(actor=teacher, offering=offering, upload_name="big.csv", data=data)
    assert report.ok and report.rows == 5000 and report.applied == 5000
    assert Enrolment.objects.filter(offering=offering, score__isnull=False).count() == 5000
    assert CompetencyAttainment.objects.filter(competency__code="a", student__school_class=school_class).count() == 5000


def test_import_page_shows_bad_rows(book, client):
    client.force_login(book["teacher"])
    upload = io.BytesIO(_csv([("nobody", "x", 80)]))
    upload.name = "g.csv"
    response = client.post(reverse("teachers:gradebook_import", args=[book["offering"].pk]), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="import-errors"' in body and "nobody" in body


def test_export_endpoints(book, client):
    client.force_login(book["teacher"])
    for fmt, ctype in (("csv", "text/csv"), ("xlsx", "spreadsheetml")):
        response = client.get(reverse("teachers:gradebook_export", args=[book["offering"].pk, fmt]))
        assert response.status_code == 200 and ctype in response["Content-Type"]
    assert client.get(reverse("teachers:gradebook_export", args=[book["offering"].pk, "pdf"])).status_code == 404


def test_gradebook_page_query_count_does_not_grow_with_students(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.radar.builders import grade

    teacher = UserFactory(role=Role.TEACHER, username="qc_gb_teacher")
    counts = []
    for n in (3, 30):
        major = make_major(competencies=("a", "b", "c"))
        make_program(major, 2024, [(f"QG{n}", 2, 1, {"a": 1})])
        school_class = make_class(major, 2024)
        students = [make_student(school_class) for _ in range(n)]
        offering = make_offering(f"QG{n}", make_term(), school_class, teacher=teacher)
        for s in students:
            grade(offering, s, 70)
            enrolment = Enrolment.objects.get(offering=offering, student=s.user)
            grade_set(actor=teacher, enrolment=enrolment, score="75", reason="re-marked")
        client.force_login(teacher)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("teachers:gradebook", args=[offering.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
