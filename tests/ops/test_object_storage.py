"""Media on S3-compatible object storage (django-storages) against a local S3 server
(moto's, standing in for MinIO): an upload, a detection job that reads it and writes its
report, and the report served by the page, all without a local file."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys

import pytest
from django.urls import reverse

from deepfake import services
from tests.conftest import wait_for
from tests.deepfake.conftest import face_path, jpeg_bytes, upload


@pytest.fixture
def s3_media(settings, tmp_path):
    boto3 = pytest.importorskip("boto3")
    pytest.importorskip("moto.server")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s",
                          region_name="us-east-1")

    def ready():
        with contextlib.suppress(Exception):
            return client.list_buckets() is not None
    try:
        wait_for(ready, timeout=60, message="the S3 server")
        client.create_bucket(Bucket="media-test")
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "media-test", "endpoint_url": endpoint, "access_key": "k", "secret_key": "s",
                        "region_name": "us-east-1", "default_acl": None, "addressing_style": "path",
                        "file_overwrite": False}}}
        yield client
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db
def test_lab_job_runs_on_object_storage(s3_media, faces, make_user, client, django_capture_on_commit_callbacks):
    from deepfake.demo import register_shipped_model
    from deepfake.models import DetectionJob

    register_shipped_model()  # weights into the bucket; the worker reads a local copy
    student = make_user(username="s3_student")
    media = services.media_upload(actor=student, uploaded_file=upload("f.jpg", jpeg_bytes(face_path(faces, "real", 4))))
    with django_capture_on_commit_callbacks(execute=True):  # eager: the job runs on commit
        job = services.detection_job_create(actor=student, media=media)
    job = DetectionJob.objects.get(pk=job.pk)
    assert job.status == "done", job.error
    keys = {o["Key"] for o in s3_media.list_objects_v2(Bucket="media-test")["Contents"]}
    assert media.file.name in keys and job.timeline_image.name in keys
    with pytest.raises(NotImplementedError):
        job.timeline_image.path  # noqa: B018 - no local file behind it
    client.force_login(student)
    response = client.get(reverse("deepfake:job_image", kwargs={"job_id": job.pk, "name": "timeline"}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.django_db
def test_radar_charts_live_in_object_storage(s3_media, settings, tmp_path, client):
    """Chart images are media like the others: rendered into the bucket, served from it,
    dropped from it when the numbers change; nothing under MEDIA_ROOT."""
    from accounts.models import Role
    from students.radar import charts
    from students.radar.tasks import radar_student_charts_task
    from tests.factories import UserFactory
    from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

    settings.MEDIA_ROOT = tmp_path
    major = make_major(code="s3chart", competencies=("a", "b", "c"))
    make_program(major, 2024, [("S3C1", 2, 1, {"a": 1, "b": 1}), ("S3C2", 2, 1, {"c": 1})])
    school_class = make_class(major, 2024)
    student = make_student(school_class, user=UserFactory(role=Role.STUDENT, username="s3_chart_student"))
    grade(make_offering("S3C1", make_term(), school_class), student, 80)

    radar_student_charts_task(student.pk, "zh-hans")
    prefix = f"radar-charts/student-{student.pk}/"
    keys = {o["Key"] for o in s3_media.list_objects_v2(Bucket="media-test", Prefix=prefix).get("Contents", [])}
    assert len(keys) == 4 and {k.rsplit(".", 1)[1] for k in keys} == {"png", "svg"}, keys
    assert not (tmp_path / "radar-charts").exists()

    client.force_login(student.user)
    url = reverse("students:competences_chart_image", kwargs={
        "student_number": student.student_number, "kind": "radar", "fmt": "png"})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, response.status_code
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    charts.charts_invalidate(subject=charts.student_subject(student.pk))
    assert not s3_media.list_objects_v2(Bucket="media-test", Prefix=prefix).get("Contents")
