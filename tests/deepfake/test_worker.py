"""A real Celery worker on the configured broker (Redis in CI) processes an image job
and a video job to "done"."""

from __future__ import annotations

import pytest

from deepfake import services
from deepfake.models import DetectionJob
from tests.conftest import wait_for

from .conftest import face_path, jpeg_bytes, make_video, upload


@pytest.mark.django_db(transaction=True)
def test_worker_processes_an_image_job_and_a_video_job(faces, tmp_path, make_user, celery_worker_process):
    from deepfake.demo import register_shipped_model

    register_shipped_model()
    student = make_user(username="worker_student")
    image_media = services.media_upload(actor=student, uploaded_file=upload("f.jpg", jpeg_bytes(face_path(faces, "fake_stylegan3", 1))))
    video = make_video(tmp_path / "clip.mp4", [face_path(faces, "real", i) for i in range(5)], seconds=3, fps=10)
    video_media = services.media_upload(actor=student, uploaded_file=upload("clip.mp4", video.read_bytes()))
    image_job = services.detection_job_create(actor=student, media=image_media)
    video_job = services.detection_job_create(actor=student, media=video_media, frame_count=8)

    def finished():
        jobs = list(DetectionJob.objects.filter(pk__in=[image_job.pk, video_job.pk]))
        return all(j.is_finished for j in jobs) and jobs

    jobs = {j.pk: j for j in wait_for(finished, timeout=180, message="both jobs to finish")}
    log = celery_worker_process.read_text(errors="replace")
    for pk in (image_job.pk, video_job.pk):
        job = jobs[pk]
        assert job.status == "done", (job.error, log[-3000:])
        assert 0.0 <= job.score <= 1.0
    assert jobs[video_job.pk].frames.count() == 8
    assert jobs[image_job.pk].frames.count() == 1
    assert "deepfake.tasks.detection_job_run_task" in log
