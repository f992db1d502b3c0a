"""Evidence files on rectification tasks (issue 14 item 5): the owner attaches files checked
by content and size; the supervisor sees and downloads them, then closes or reopens; a
refusal (closed task, a file that is not what it claims, too large) keeps nothing."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.errors import ApplicationError, NotPermitted
from teachers.models import EvidenceFile, RectificationTask, TaskEvent
from teachers.supervision import services
from tests.teachers import resource_files as files
from tests.teachers.test_supervision import loop  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
T = RectificationTask.Status


def _task(loop):  # noqa: F811
    return services.finding_file(actor=loop["master"], plan=loop["plan"], offering=loop["offering"],
                                 description="Too much lecturing", action="Add a hands-on task per lesson",
                                 deadline=timezone.localdate() + datetime.timedelta(days=14))


def _stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "supervision-evidence"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_owner_attaches_files_supervisor_sees_and_closes(loop, client):  # noqa: F811
    task = _task(loop)
    pdf = files.pdf_bytes()
    services.evidence_submit(actor=loop["teacher"], task=task, note="New lesson plans attached",
                             files=[SimpleUploadedFile("plan.pdf", pdf),
                                    SimpleUploadedFile("workshop.png", files.png_bytes())])
    task.refresh_from_db()
    assert task.status == T.SUBMITTED
    stored = list(EvidenceFile.objects.filter(task=task).order_by("id"))
    assert [(f.original_name, f.content_type) for f in stored] == [("plan.pdf", "application/pdf"),
                                                                   ("workshop.png", "image/png")]
    assert all(f.event.kind == TaskEvent.Kind.EVIDENCE for f in stored)
    # the supervisor sees them on the task page and downloads them
    client.force_login(loop["master"])
    page = client.get(reverse("teachers:supervision_task", args=[task.pk]))
    assert page.status_code == 200 and b"plan.pdf" in page.content and b"workshop.png" in page.content
    download = client.get(reverse("teachers:supervision_evidence_file", args=[stored[0].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert download["X-Content-Type-Options"] == "nosniff"
    # someone who may not see the task may not download its evidence
    client.force_login(loop["outsider"])
    assert client.get(reverse("teachers:supervision_evidence_file", args=[stored[0].pk])).status_code == 404
    # verify and close through the page
    client.force_login(loop["master"])
    assert client.post(reverse("teachers:supervision_close", args=[task.pk]), {"note": "Seen in class"}).status_code == 302
    task.refresh_from_db()
    assert task.status == T.CLOSED


@pytest.mark.parametrize(("name", "data", "code"), [
    ("plan.pdf", files.png_bytes(), "mismatch"),            # an image named .pdf
    ("tool.docx", b"MZ\x90\x00" + b"\x00" * 64, "nul_bytes"),  # an executable named .docx
    ("clip.mp4", files.mp4_bytes(), "format_for_kind"),     # a real video: not accepted as evidence
    ("empty.pdf", b"", "empty"),
])
def test_bad_files_are_refused_and_nothing_is_kept(loop, client, name, data, code):  # noqa: F811
    task = _task(loop)
    before = _stored_files()
    with pytest.raises(ApplicationError) as exc:
        services.evidence_submit(actor=loop["teacher"], task=task, note="Evidence",
                                 files=[SimpleUploadedFile("good.pdf", files.pdf_bytes()),
                                        SimpleUploadedFile(name, data)])
    assert exc.value.code == code
    task.refresh_from_db()
    assert task.status == T.OPEN
    assert not EvidenceFile.objects.exists() and not TaskEvent.objects.filter(task=task).exists()
    assert _stored_files() == before
    # the page answers 400 with the reason
    client.force_login(loop["teacher"])
    response = client.post(reverse("teachers:supervision_evidence", args=[task.pk]),
                           {"note": "Evidence", "files": [SimpleUploadedFile(name, data)]})
    assert response.status_code == 400
    assert not EvidenceFile.objects.exists()


def test_too_large_and_too_many(loop, monkeypatch):  # noqa: F811
    task = _task(loop)
    monkeypatch.setattr(services, "EVIDENCE_MAX_BYTES", 1024)
    with pytest.raises(ApplicationError) as exc:
        services.evidence_submit(actor=loop["teacher"], task=task, note="x",
                                 files=[SimpleUploadedFile("big.txt", b"a" * 2048)])
    assert exc.value.code == "too_large" and exc.value.status_code == 413
    with pytest.raises(ApplicationError) as exc:
        services.evidence_submit(actor=loop["teacher"], task=task, note="x",
                                 files=[SimpleUploadedFile(f"n{i}.txt", b"notes") for i in range(6)])
    assert exc.value.code == "too_many_files"
    task.refresh_from_db()
    assert task.status == T.OPEN and not EvidenceFile.objects.exists()


def test_evidence_on_a_closed_task_is_refused_with_the_reason(loop, client):  # noqa: F811
    task = _task(loop)
    services.evidence_submit(actor=loop["teacher"], task=task, note="done")
    services.task_close(actor=loop["master"], task=task)
    before = _stored_files()
    with pytest.raises(ApplicationError) as exc:
        services.evidence_submit(actor=loop["teacher"], task=task, note="late",
                                 files=[SimpleUploadedFile("late.pdf", files.pdf_bytes())])
    assert exc.value.code == "task_closed"
    with pytest.raises(NotPermitted):  # only the owner, whatever the files
        services.evidence_submit(actor=loop["master"], task=task, note="x",
                                 files=[SimpleUploadedFile("x.pdf", files.pdf_bytes())])
    client.force_login(loop["teacher"])
    api = client.post(reverse("api:teachers-task-evidence", args=[task.pk]),
                      {"note": "late", "files": [SimpleUploadedFile("late.pdf", files.pdf_bytes())]})
    assert api.status_code == 400 and api.json()["error"]["code"] == "task_closed"
    assert not EvidenceFile.objects.exists() and _stored_files() == before


def test_api_multipart_evidence_and_listing(loop, client):  # noqa: F811
    task = _task(loop)
    client.force_login(loop["teacher"])
    url = reverse("api:teachers-task-evidence", args=[task.pk])
    bad = client.post(url, {"note": "x", "files": [SimpleUploadedFile("a.pdf", files.png_bytes())]})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "mismatch"
    ok = client.post(url, {"note": "Revised plans", "files": [SimpleUploadedFile("a.pdf", files.pdf_bytes()),
                                                              SimpleUploadedFile("b.csv", b"week,task\n1,shop\n")]})
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["status"] == "submitted" and [f["name"] for f in body["evidence_files"]] == ["a.pdf", "b.csv"]
    client.force_login(loop["mentor"])
    listing = client.get(reverse("api:teachers-tasks"))
    assert [f["name"] for f in listing.json()["results"][0]["evidence_files"]] == ["a.pdf", "b.csv"]
    # files go with evidence only
    reopen = client.post(reverse("api:teachers-task-reopen", args=[task.pk]),
                         {"note": "again", "files": [SimpleUploadedFile("c.pdf", files.pdf_bytes())]})
    assert reopen.status_code == 400
