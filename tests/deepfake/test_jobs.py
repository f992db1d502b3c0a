"""Detection jobs run in process (eager): results, no-face handling, redelivery, report JSON."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from deepfake import services
from deepfake.models import DetectionJob, FaceResult, FrameResult, Media

from .conftest import face_path, jpeg_bytes, make_video, upload


def _job(user, content: bytes, name: str = "face.jpg", **kwargs) -> DetectionJob:
    media = services.media_upload(actor=user, uploaded_file=upload(name, content))
    return services.detection_job_create(actor=user, media=media, **kwargs)


def test_image_job_gives_a_verdict_and_report(faces, student_user, shipped_model):
    job = _job(student_user, jpeg_bytes(face_path(faces, "fake_dcgan_celeba", 3)))
    assert services.detection_job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100
    assert 0.0 <= job.score <= 1.0 and job.verdict in ("real", "fake") and job.face_count >= 1
    assert job.timeline_image.name.endswith("timeline.png") and job.spectrum_image.name.endswith("spectrum.png")
    frame = job.frames.get()
    assert frame.annotated_image and frame.faces.count() == job.face_count


def test_no_face_image_says_so_with_a_marked_whole_image_score(student_user, shipped_model):
    import cv2

    rng = np.random.default_rng(0)
    ok, buf = cv2.imencode(".png", (rng.random((120, 160, 3)) * 40 + 100).astype(np.uint8))
    job = _job(student_user, buf.tobytes(), "noise.png")
    services.detection_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.verdict == "no_face" and job.score is None
    assert 0.0 <= job.whole_image_score <= 1.0


def test_redelivery_leaves_one_set_of_results(faces, student_user, shipped_model, tmp_path):
    video = make_video(tmp_path / "v.mp4", [face_path(faces, "real", i) for i in range(3)], seconds=2, fps=10)
    job = _job(student_user, video.read_bytes(), "v.mp4", frame_count=6)
    assert services.detection_job_run(job_id=job.pk) == "done"
    first = list(FrameResult.objects.filter(job=job).values_list("pk", "score"))
    faces_first = FaceResult.objects.filter(frame__job=job).count()
    # The same message delivered again: nothing is written twice.
    assert services.detection_job_run(job_id=job.pk) == "already-finished"
    assert list(FrameResult.objects.filter(job=job).values_list("pk", "score")) == first
    assert FaceResult.objects.filter(frame__job=job).count() == faces_first
    assert len(first) == 6


def test_job_interrupted_while_running_is_run_again_once(faces, student_user, shipped_model):
    job = _job(student_user, jpeg_bytes(face_path(faces, "real", 2)))
    DetectionJob.objects.filter(pk=job.pk).update(status="running", attempts=1)  # the worker died mid-job
    assert services.detection_job_run(job_id=job.pk) == "done"
    assert services.detection_job_run(job_id=job.pk) == "already-finished"
    job.refresh_from_db()
    assert job.attempts == 2 and job.frames.count() == 1


def test_undecodable_media_fails_with_a_reason(faces, student_user, shipped_model):
    job = _job(student_user, jpeg_bytes(face_path(faces)))
    with open(job.media.file.path, "wb") as f:
        f.write(b"corrupted on disk")
    assert services.detection_job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and "decod" in job.error


@pytest.mark.parametrize("aggregation", ["mean", "confident"])
def test_report_json_via_api(faces, client, student_user, shipped_model, aggregation):
    job = _job(student_user, jpeg_bytes(face_path(faces, "fake_stylegan3", 0)), aggregation=aggregation)
    services.detection_job_run(job_id=job.pk)
    client.force_login(student_user)
    body = client.get(reverse("api:deepfake-job-detail", kwargs={"job_id": job.pk})).json()
    assert body["status"] == "done" and body["model"] == "small-cnn v3" and body["aggregation"] == aggregation
    assert body["judged_by"] == "small-cnn v3: small_cnn_photo_v1"  # an image: the pair's photo model
    assert body["frames"][0]["faces"][0]["score"] == pytest.approx(body["score"], abs=1e-6)
    page = client.get(reverse("deepfake:job_detail", kwargs={"job_id": job.pk}))
    assert page.status_code == 200 and b'id="verdict"' in page.content
    for name in ("timeline", "spectrum", "frame-0"):
        r = client.get(reverse("deepfake:job_image", kwargs={"job_id": job.pk, "name": name}))
        assert r.status_code == 200 and r["Content-Type"].startswith("image/")


def test_queue_position_counts_the_jobs_ahead(faces, student_user, shipped_model):
    jobs = [_job(student_user, jpeg_bytes(face_path(faces, "real", i))) for i in range(3)]
    from deepfake.selectors import job_queue_position

    assert [job_queue_position(job=j) for j in jobs] == [1, 2, 3]
    services.detection_job_run(job_id=jobs[0].pk)
    jobs[1].refresh_from_db()
    assert job_queue_position(job=jobs[1]) == 1
    assert Media.objects.count() == 3
