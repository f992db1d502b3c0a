"""Destinations: the school's import (all or nothing, bad rows listed), the survey beat
task with a frozen clock, a graduate's answer, and the hand-over to the outlook."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.utils import timezone

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import AuditLog, Notification, Role
from enterprises.careers import services
from enterprises.careers.imports import destinations_export, destinations_import
from enterprises.careers.tasks import survey_rounds_open_due_task
from enterprises.models import Destination, SurveyRound
from students.models import Alumnus
from tests.careers.builders import make_graduates, make_major
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "student_number,round,category,employer,position,job_family,counterpart,salary_band,city,date\n"


def frozen(day: datetime.date):
    at = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10, 0))
    return mock.patch("django.utils.timezone.now", return_value=at)


@pytest.fixture
def cohort():
    major = make_major(code="dst", competencies=("ops", "design"))
    graduates = make_graduates(major, 2021, 3, attainments={"ops": 0.7, "design": 0.5})  # class of 2024
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="careers_admin")
    return major, graduates, admin


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def test_import_applies_every_row_when_all_are_valid(cohort):
    major, (a, b, c), admin = cohort
    data = _csv([f"{a.student_number},graduation,employed,星云电商,运营助理,operations,yes,3-5k,杭州,2024-07-15",
                 f"{b.student_number},6m,升学,浙江工业大学,,,,,,",
                 f"{c.student_number},,not_employed,,,,,,,"])
    report = destinations_import(actor=admin, upload_name="d.csv", data=data)
    assert report.ok and report.applied == 3
    d = Destination.objects.get(student=a)
    assert (d.category, d.employer_name, d.counterpart, d.salary_band, d.graduation_year, d.survey_round.kind) == (
        "employed", "星云电商", True, "3-5k", 2024, "graduation")
    assert Destination.objects.get(student=b).survey_round.kind == "6m"
    assert Destination.objects.get(student=b).employer_name == "浙江工业大学"  # further study keeps its institution
    assert AuditLog.objects.filter(action="careers.destination.import").count() == 1


def test_import_with_bad_rows_lists_them_and_applies_nothing(cohort):
    major, (a, b, c), admin = cohort
    data = _csv([f"{a.student_number},graduation,employed,星云电商,运营,operations,yes,3-5k,杭州,2024-07-15",
                 "NOPE0001,graduation,employed,某公司,,,,,,",
                 f"{b.student_number},graduation,astronaut,,,,,,,",
                 f"{c.student_number},graduation,employed,某公司,,,maybe,,,",
                 f"{a.student_number},graduation,not_employed,,,,,,,"])
    report = destinations_import(actor=admin, upload_name="d.csv", data=data)
    assert not report.ok and report.applied == 0
    by_row = {e.row: e.reason for e in report.errors}
    assert set(by_row) == {3, 4, 5, 6}
    assert "Unknown student number" in by_row[3]
    assert "astronaut" in by_row[4]
    assert "yes or no" in by_row[5]
    assert "Duplicate" in by_row[6]
    assert not Destination.objects.exists() and not SurveyRound.objects.exists()


def test_import_refuses_a_student_who_has_not_graduated(cohort):
    major, (a, *_), admin = cohort
    a.status = "enrolled"
    a.save()
    report = destinations_import(actor=admin, upload_name="d.csv", data=_csv([f"{a.student_number},,employed,X,,,,,,"]))
    assert [e.reason for e in report.errors] == ["This student has not graduated."]


def test_import_xlsx_and_export_round_trip_formula_safe(cohort):
    from openpyxl import load_workbook

    from accounts.spreadsheets import xlsx_bytes

    major, (a, b, _c), admin = cohort
    header = HEADER.strip().split(",")
    rows = [[a.student_number, "1y", "employed", "=HYPERLINK(\"x\")", "", "", "", "", "", ""],
            [b.student_number, "1y", "enlisted", "", "", "", "", "", "", ""]]
    report = destinations_import(actor=admin, upload_name="d.xlsx", data=xlsx_bytes(header, rows))
    assert report.ok, report.errors
    content, _type, name = destinations_export(graduation_year=2024, fmt="csv")
    assert b"'=HYPERLINK" in content and name == "destinations-2024.csv"
    content, _type, _name = destinations_export(graduation_year=2024, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(\"x\")")
    assert cell.data_type == "s"  # text, never a formula


def test_import_refuses_files_that_are_not_spreadsheets(cohort):
    _major, _g, admin = cohort
    with pytest.raises(ApplicationError):
        destinations_import(actor=admin, upload_name="d.pdf", data=b"%PDF")
    with pytest.raises(ApplicationError):
        destinations_import(actor=admin, upload_name="d.csv", data=b"name,score\nx,1\n")


def test_only_school_admins_apply_an_import(cohort):
    _major, (a, *_), _admin = cohort
    teacher = UserFactory(role=Role.TEACHER)
    with pytest.raises(NotPermitted):
        destinations_import(actor=teacher, upload_name="d.csv", data=_csv([f"{a.student_number},,employed,X,,,,,,"]))


def test_beat_opens_due_rounds_once_and_notifies_the_cohort(cohort):
    major, graduates, _admin = cohort
    enrolled = make_graduates(major, 2022, 1)[0]
    enrolled.status = "enrolled"
    enrolled.save()
    with frozen(datetime.date(2024, 6, 30)):
        assert survey_rounds_open_due_task() == []  # the class of 2024 graduates on 1 July
    with frozen(datetime.date(2024, 7, 2)):
        opened = survey_rounds_open_due_task()
        assert len(opened) == 1 and survey_rounds_open_due_task() == []  # idempotent
    graduation = SurveyRound.objects.get(pk=opened[0])
    assert (graduation.graduation_year, graduation.kind, graduation.opens_on) == (2024, "graduation",
                                                                                 datetime.date(2024, 7, 1))
    notified = set(Notification.objects.filter(title__startswith="Careers survey").values_list("recipient_id",
                                                                                                 flat=True))
    assert notified == {g.user_id for g in graduates}
    with frozen(datetime.date(2025, 1, 3)):
        assert [SurveyRound.objects.get(pk=pk).kind for pk in survey_rounds_open_due_task()] == ["6m"]
    with frozen(datetime.date(2025, 7, 1)):
        assert [SurveyRound.objects.get(pk=pk).kind for pk in survey_rounds_open_due_task()] == ["1y"]
    with frozen(datetime.date(2026, 3, 1)):  # nothing due between rounds
        assert survey_rounds_open_due_task() == []
    with frozen(datetime.date(2027, 8, 15)):
        assert [SurveyRound.objects.get(pk=pk).kind for pk in survey_rounds_open_due_task()] == ["3y"]
    assert Notification.objects.filter(recipient=graduates[0].user).count() == 4


def test_a_graduate_answers_an_open_round_of_their_class_only(cohort):
    major, (a, b, _c), _admin = cohort
    survey_round = services.survey_round_get_or_create(graduation_year=2024, kind="graduation")
    other_class = services.survey_round_get_or_create(graduation_year=2025, kind="graduation")
    data = services.DestinationData(category="employed", employer_name="星云", position="运营", job_family="operations",
                                    counterpart=True, salary_band="5-8k", city="杭州")
    with frozen(datetime.date(2024, 7, 20)):
        services.destination_submit(actor=a.user, survey_round=survey_round, data=data)
        # answering again replaces the answer
        services.destination_submit(actor=a.user, survey_round=survey_round,
                                    data=services.DestinationData(category="further_study", employer_name="某大学",
                                                                  salary_band="5-8k"))
        with pytest.raises(NotPermitted):
            services.destination_submit(actor=a.user, survey_round=other_class, data=data)
        with pytest.raises(ApplicationError) as bad:
            services.destination_submit(actor=b.user, survey_round=survey_round,
                                        data=services.DestinationData(category="employed"))
        assert "employer_name" in bad.value.extra
    d = Destination.objects.get(student=a)
    assert (d.category, d.salary_band, d.employer_name) == ("further_study", "", "某大学")
    with frozen(datetime.date(2024, 12, 1)), pytest.raises(ApplicationError):
        services.destination_submit(actor=a.user, survey_round=survey_round, data=data)  # closed after 60 days


def test_real_destinations_become_outlook_alumni(cohort):
    major, (a, b, c), admin = cohort
    data = _csv([f"{a.student_number},6m,employed,星云,运营,operations,yes,5-8k,杭州,",
                 f"{b.student_number},graduation,not_employed,,,,,,,",
                 f"{c.student_number},graduation,further_study,某大学,,,,,,"])
    assert destinations_import(actor=admin, upload_name="d.csv", data=data).ok
    real = {x.code: x for x in Alumnus.objects.filter(is_demo=False)}
    assert set(real) == {f"R{a.pk}", f"R{b.pk}"}  # further study is not a job-market outcome
    assert (real[f"R{a.pk}"].employed, real[f"R{a.pk}"].job_family, real[f"R{a.pk}"].salary_band) == (
        True, "operations", "5-8k")
    assert real[f"R{a.pk}"].attainment == {"ops": 0.7, "design": 0.5}
    assert real[f"R{b.pk}"].employed is False and real[f"R{b.pk}"].graduation_year == 2024
    # the six-month answer wins over the graduation answer; a change is handed over again
    assert destinations_import(actor=admin, upload_name="d.csv", data=_csv(
        [f"{b.student_number},6m,flexible,,,marketing,,3-5k,,"])).ok
    assert Alumnus.objects.get(code=f"R{b.pk}").employed is True


def test_outlook_trains_on_real_records_once_there_are_enough():
    from students.outlook.alumni import alumni_generate
    from students.outlook.services import MIN_REAL_ALUMNI, training_alumni

    major = make_major(code="otl", competencies=("ops", "design"))
    Alumnus.objects.bulk_create(alumni_generate(major=major, count=50, seed=1))
    assert training_alumni(major).count() == 50  # synthetic only until real records exist
    real = [Alumnus(code=f"R-{i}", major=major, graduation_year=2024, attainment={"ops": 0.5}, points=1,
                    rank_percentile=50, employed=i % 2 == 0, is_demo=False) for i in range(MIN_REAL_ALUMNI)]
    Alumnus.objects.bulk_create(real)
    assert set(training_alumni(major).values_list("is_demo", flat=True)) == {False}
