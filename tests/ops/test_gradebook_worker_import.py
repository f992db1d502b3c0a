"""Big gradebook imports run in a real worker (issue 17 §4 "run big imports in a worker
with progress"): the upload is stored, the page polls the import's progress, and the
result is all or nothing — grades applied, or the rows with problems and no grade changed."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import Notification, Role
from teachers.models import Enrolment, GradebookImport, GradeChange
from tests.conftest import wait_for
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.celery_worker

ROWS = 8


@pytest.fixture
def book(celery_worker_process, settings):
    settings.GRADEBOOK_IMPORT_ASYNC_ROWS = 5  # 8 rows: "big"
    teacher = UserFactory(role=Role.TEACHER, username="big_import_teacher", language="en")
    major = make_major(code="bigimp", competencies=("a", "b"))
    make_program(major, 2024, [("BIG1", 4, 1, {"a": 1, "b": 1})])
    school_class = make_class(major, 2024, code="big-class")
    students = [make_student(school_class, number=f"2024200{i:03d}") for i in range(ROWS)]
    offering = make_offering("BIG1", make_term(), school_class, teacher=teacher)
    return {"teacher": teacher, "offering": offering, "students": students}


def _csv(rows: list[tuple[str, str]]) -> bytes:
    return ("student_number,score\n" + "".join(f"{n},{s}\n" for n, s in rows)).encode()


def _upload(client, book, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(book["teacher"])
    return client.post(reverse("teachers:gradebook_import", args=[book["offering"].pk]),
                       {"file": SimpleUploadedFile("big.csv", data, content_type="text/csv")})


def _finished(job_id: int):
    job = GradebookImport.objects.get(pk=job_id)
    return job if job.is_finished else None


def test_a_big_import_runs_in_the_worker_and_the_page_shows_progress_then_the_result(client, book):
    rows = [(s.student_number, str(60 + i)) for i, s in enumerate(book["students"])]
    response = _upload(client, book, _csv(rows))
    assert response.status_code == 302
    job = GradebookImport.objects.get()
    assert response["Location"] == reverse("teachers:gradebook_import_status", args=[book["offering"].pk, job.pk])
    stored = job.upload.name
    assert stored and stored.endswith(".csv")

    page = client.get(response["Location"]).content.decode()
    assert 'id="import-status"' in page and "hx-trigger=\"every 2s\"" in page or "data-status=\"done\"" in page
    job = wait_for(lambda: _finished(job.pk), timeout=90, message="the worker to import the file")
    assert job.status == GradebookImport.Status.DONE, (job.status, job.message, job.errors)
    assert job.applied == ROWS and job.rows_checked == ROWS and job.rows_total == ROWS
    scores = dict(Enrolment.objects.filter(offering=book["offering"]).values_list("student_id", "score"))
    assert sorted(int(v) for v in scores.values()) == list(range(60, 60 + ROWS))
    assert GradeChange.objects.filter(source=GradeChange.Source.IMPORT).count() == ROWS
    assert not default_storage.exists(stored), "the stored upload is removed once imported"
    assert Notification.objects.filter(recipient=book["teacher"]).exists()

    # The finished fragment stops polling and says what happened.
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert fragment.strip().startswith('<div id="import-status" data-status="done">')  # finished: no more polling
    assert 'id="import-done"' in fragment and f"Imported {ROWS} row(s)" in fragment


def test_a_big_import_with_a_bad_row_changes_nothing_and_lists_the_row(client, book):
    before = dict(Enrolment.objects.filter(offering=book["offering"]).values_list("pk", "score"))
    rows = [(s.student_number, "70") for s in book["students"]]
    rows[3] = ("2099999999", "70")     # not on the roster
    rows[5] = (rows[5][0], "170")      # out of range
    response = _upload(client, book, _csv(rows))
    assert response.status_code == 302
    job = wait_for(lambda: _finished(GradebookImport.objects.get().pk), timeout=90, message="the import to finish")
    assert job.status == GradebookImport.Status.REJECTED and job.error_count == 2
    assert [e["row"] for e in job.errors] == [5, 7]
    assert dict(Enrolment.objects.filter(offering=book["offering"]).values_list("pk", "score")) == before
    assert not GradeChange.objects.filter(source=GradeChange.Source.IMPORT).exists()
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-errors"' in page and "2099999999" in page
    assert '<div id="import-status" data-status="rejected">' in page  # finished: no more polling


def test_a_small_import_stays_in_the_request(client, book):
    rows = [(s.student_number, "75") for s in book["students"][:4]]
    response = _upload(client, book, _csv(rows))
    assert response.status_code == 302
    assert response["Location"] == reverse("teachers:gradebook", args=[book["offering"].pk])
    assert not GradebookImport.objects.exists()
    assert Enrolment.objects.filter(offering=book["offering"], score=75).count() == 4
