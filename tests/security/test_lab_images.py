"""Lab image limits (issue 17 §4 "Lab image limits"): shape and decode cost are
checked from the header, before decoding; errors never echo a library."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from deepfake.models import DetectionJob, Media
from tests.security.builders import jpeg, png

pytestmark = pytest.mark.django_db


def _uploads_on_disk() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "deepfake" / "uploads"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def lab_client(client, student_user, shipped_model):
    client.force_login(student_user)
    return client


def _post(client, name: str, content: bytes):
    return client.post("/api/v1/deepfake/jobs/", {"file": SimpleUploadedFile(name, content, "image/png")})


@pytest.mark.parametrize(("width", "height", "code"), [
    (20000, 1, "too_small"),
    (20000, 40, "aspect_ratio"),
    (40, 2000, "aspect_ratio"),
    (6300, 6300, "too_many_pixels"),  # 38 KB that decodes to ~120 MB
])
def test_shape_and_decode_cost_are_refused_before_decoding(lab_client, width, height, code):
    before = set(_uploads_on_disk())
    data = png(width, height, color=False)
    assert len(data) < 200_000
    response = _post(lab_client, "x.png", data)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert "error" not in error["message"].lower() and "<" not in error["message"]
    assert not Media.objects.exists() and not DetectionJob.objects.exists()
    assert set(_uploads_on_disk()) == before


def test_truncated_image_message_does_not_echo_the_library(lab_client):
    response = _post(lab_client, "t.png", png(400, 400, rows=100))
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "InMemoryUploadedFile" not in message and "<" not in message and "Errno" not in message
    assert "damaged" in message or "损坏" in message


def test_a_job_that_fails_in_the_worker_shows_a_clean_reason(lab_client, settings):
    response = lab_client.post("/api/v1/deepfake/jobs/",
                               {"file": SimpleUploadedFile("ok.jpg", jpeg(96, 96), "image/jpeg")})
    assert response.status_code == 201
    job = DetectionJob.objects.get(pk=response.json()["id"])
    # The stored file goes bad behind the site's back; the job is run again.
    Path(job.media.file.path).write_bytes(b"\xff\xd8\xff garbage")
    DetectionJob.objects.filter(pk=job.pk).update(status=DetectionJob.Status.QUEUED, finished_at=None)
    from deepfake.services import detection_job_run

    detection_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == DetectionJob.Status.FAILED
    assert job.error
    assert str(settings.MEDIA_ROOT) not in job.error and "/" not in job.error
    assert "error: error" not in job.error.lower() and "internal error" not in job.error.lower()
