"""Big gradebook imports survive a lost worker (issue 17 §3, applied to the imports of §4):
the worker beats while it imports; the beat sweep re-queues an import whose worker was
lost (its message consumed, its row left "running"), fails it with a reason once its runs
are spent, and sends again one whose message never arrived. The grades are applied once."""

from __future__ import annotations

import datetime
import secrets

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Role
from teachers.gradebook_jobs import gradebook_import_run, gradebook_imports_sweep
from teachers.models import Enrolment, GradebookImport, GradeChange
from tests.conftest import wait_for
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_offering, make_program, make_student, make_term

ROWS = 8
LONG_AGO = datetime.timedelta(minutes=30)


@pytest.fixture
def book(transactional_db):
    teacher = UserFactory(role=Role.TEACHER, username="sweep_teacher", language="zh-hans")
    major = make_major(code="sweep", competencies=("a", "b"))
    make_program(major, 2024, [("SWP1", 4, 1, {"a": 1, "b": 1})])
    school_class = make_class(major, 2024, code="sweep-class")
    students = [make_student(school_class, number=f"2024300{i:03d}") for i in range(ROWS)]
    offering = make_offering("SWP1", make_term(), school_class, teacher=teacher)
    return {"teacher": teacher, "offering": offering, "students": students}


def _left_behind(book, *, status, attempts=0, heartbeat_ago=LONG_AGO, enqueued_ago=LONG_AGO) -> GradebookImport:
    """An import as a lost worker or a lost message leaves it: the stored file, the row."""
    data = "student_number,score\n" + "".join(f"{s.student_number},{70 + i}\n" for i, s in enumerate(book["students"]))
    now = timezone.now()
    job = GradebookImport(offering=book["offering"], requested_by=book["teacher"], upload_name="big.csv",
                          status=status, attempts=attempts, enqueued_at=now - enqueued_ago)
    if status == GradebookImport.Status.RUNNING:
        job.started_at = job.heartbeat_at = now - heartbeat_ago
    job.upload.save(f"{secrets.token_hex(8)}.csv", ContentFile(data.encode()), save=False)
    job.save()
    return job


def _finished(job_id: int):
    job = GradebookImport.objects.get(pk=job_id)
    return job if job.is_finished else None


def _scores(book) -> list[int]:
    return sorted(int(s) for s in Enrolment.objects.filter(offering=book["offering"]).values_list("score", flat=True)
                  if s is not None)


@pytest.mark.celery_worker
def test_a_running_import_whose_worker_was_lost_is_requeued_and_done_once(book, celery_worker_process):
    job = _left_behind(book, status=GradebookImport.Status.RUNNING, attempts=1)
    assert gradebook_imports_sweep() == {"requeued": 1, "failed": 0, "resent": 0}
    job = wait_for(lambda: _finished(job.pk), timeout=90, message="the worker to run the re-queued import")
    assert job.status == GradebookImport.Status.DONE, (job.status, job.message)
    assert job.attempts == 2 and job.applied == ROWS
    assert _scores(book) == list(range(70, 70 + ROWS))
    assert GradeChange.objects.filter(source=GradeChange.Source.IMPORT).count() == ROWS  # once
    assert gradebook_imports_sweep() == {"requeued": 0, "failed": 0, "resent": 0}


@pytest.mark.celery_worker
def test_a_queued_import_whose_message_was_lost_is_sent_again(book, celery_worker_process):
    job = _left_behind(book, status=GradebookImport.Status.QUEUED)
    fresh = _left_behind(book, status=GradebookImport.Status.QUEUED, enqueued_ago=datetime.timedelta(0))
    GradebookImport.objects.filter(pk=fresh.pk).update(status=GradebookImport.Status.DONE)  # not for the sweep
    assert gradebook_imports_sweep()["resent"] == 1
    job = wait_for(lambda: _finished(job.pk), timeout=90, message="the worker to run the re-sent import")
    assert job.status == GradebookImport.Status.DONE and job.attempts == 1
    assert _scores(book) == list(range(70, 70 + ROWS))


def test_a_live_import_is_left_alone_and_a_duplicate_message_does_nothing(book):
    job = _left_behind(book, status=GradebookImport.Status.RUNNING, attempts=1,
                       heartbeat_ago=datetime.timedelta(seconds=5))
    assert gradebook_imports_sweep() == {"requeued": 0, "failed": 0, "resent": 0}
    assert gradebook_import_run(import_id=job.pk) is None  # its worker lives: not claimed twice
    job.refresh_from_db()
    assert job.status == GradebookImport.Status.RUNNING and job.attempts == 1
    assert _scores(book) == []


def test_a_redelivered_message_after_a_lost_worker_claims_it_again(book):
    job = _left_behind(book, status=GradebookImport.Status.RUNNING, attempts=1)
    done = gradebook_import_run(import_id=job.pk)
    assert done.status == GradebookImport.Status.DONE and done.attempts == 2
    assert _scores(book) == list(range(70, 70 + ROWS))


def test_when_its_runs_are_spent_the_import_fails_with_a_reason_the_teacher_reads(book, client):
    job = _left_behind(book, status=GradebookImport.Status.RUNNING,
                       attempts=django_settings.GRADEBOOK_IMPORT_MAX_ATTEMPTS)
    stored = job.upload.name
    assert gradebook_imports_sweep() == {"requeued": 0, "failed": 1, "resent": 0}
    job.refresh_from_db()
    assert job.status == GradebookImport.Status.FAILED and job.finished_at
    assert _scores(book) == [] and not GradeChange.objects.exists()
    assert not default_storage.exists(stored), "the stored upload is removed"
    note = Notification.objects.get(recipient=book["teacher"])
    assert note.url == reverse("teachers:gradebook_import_status", args=[book["offering"].pk, job.pk])
    client.force_login(book["teacher"])  # reads Chinese
    page = client.get(note.url).content.decode()
    assert 'data-status="failed"' in page and "没有导入任何成绩" in page, page[:2000]


def test_the_sweep_runs_on_beat():
    entries = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "teachers.tasks.gradebook_imports_sweep_task" in entries
    from platform_site.celery import app

    app.loader.import_default_modules()
    assert "teachers.tasks.gradebook_imports_sweep_task" in app.tasks
