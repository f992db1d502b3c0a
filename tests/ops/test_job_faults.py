"""Jobs survive faults: a worker killed with SIGKILL mid-job, a worker stopped while jobs
queue, a broker unreachable when a job is created. Real workers, real broker; each
result is stored exactly once."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from deepfake import services
from deepfake.models import DetectionJob, FrameResult
from deepfake.services.jobs import detection_jobs_sweep
from tests.conftest import wait_for
from tests.deepfake.conftest import face_path, jpeg_bytes, make_video, upload

pytestmark = [pytest.mark.celery_worker, pytest.mark.slow]


@pytest.fixture
def lab(faces, make_user):
    from deepfake.demo import register_shipped_model

    register_shipped_model()
    return make_user(username="fault_student")


def _assert_stored_once(job: DetectionJob) -> None:
    indices = list(FrameResult.objects.filter(job=job).values_list("frame_index", flat=True))
    assert len(indices) == len(set(indices)) == job.frame_count_requested


def test_worker_killed_mid_job_is_requeued_and_finished_once(worker, lab, faces, tmp_path):
    video = make_video(tmp_path / "long.mp4", [face_path(faces, "real", i) for i in range(8)], seconds=12, fps=10)
    media = services.media_upload(actor=lab, uploaded_file=upload("long.mp4", video.read_bytes()))
    worker.start()
    job = services.detection_job_create(actor=lab, media=media, frame_count=96)

    def detecting():
        job.refresh_from_db()
        return job.status == "running" and job.progress >= 10 and job.heartbeat_at is not None
    wait_for(detecting, timeout=180, interval=0.1, message="the job to be detecting faces")
    worker.kill()  # parent and pool child, mid-job
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1

    swept = wait_for(lambda: detection_jobs_sweep()["requeued"], timeout=60, interval=0.5,
                     message="the sweep to see the stopped heartbeat")
    assert swept == 1
    job.refresh_from_db()
    assert job.status == "queued" and "worker was lost" in job.stage

    worker.start()
    wait_for(lambda: DetectionJob.objects.get(pk=job.pk).is_finished, timeout=300, message="the re-queued job")
    job.refresh_from_db()
    assert job.status == "done", (job.error, worker.log[-3000:])
    assert job.attempts == 2
    _assert_stored_once(job)


def test_worker_stopped_while_30_jobs_queue_does_each_once(worker, lab, faces, settings):
    worker.start()
    worker.stop()
    jobs = []
    for i in range(30):
        media = services.media_upload(
            actor=lab, uploaded_file=upload(f"f{i}.jpg", jpeg_bytes(face_path(faces, "real", i % 10), side=96)))
        jobs.append(services.detection_job_create(actor=lab, media=media))
    # While the worker is away the sweep re-sends every queued job: 60 messages for 30 jobs.
    settings.DEEPFAKE_REQUEUE_SECONDS = 0
    assert detection_jobs_sweep(now=timezone.now())["resent"] == 30
    assert DetectionJob.objects.filter(status="queued").count() == 30

    worker.start(concurrency=2)
    ids = [j.pk for j in jobs]
    wait_for(lambda: DetectionJob.objects.filter(pk__in=ids, status="done").count() == 30, timeout=600,
             message="all 30 jobs")
    for job in DetectionJob.objects.filter(pk__in=ids):
        assert job.attempts == 1, f"job {job.pk} ran {job.attempts} times"
        _assert_stored_once(job)
    assert Notification.objects.filter(recipient=lab, title__startswith="Detection job").count() == 30


def test_broker_unreachable_job_stays_queued_then_is_sent_by_the_sweep(worker, lab, faces, settings):
    from platform_site.celery import app

    if settings.CELERY_USES_FILESYSTEM_BROKER:
        pytest.skip("the embedded filesystem broker cannot be unreachable")
    media = services.media_upload(actor=lab, uploaded_file=upload("f.jpg", jpeg_bytes(face_path(faces, "real", 1))))
    def point_broker_at(url: str) -> None:  # producers come from kombu's pool for the new URL
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = url

    real_url = app.conf.broker_url
    point_broker_at("redis://127.0.0.1:9/0")  # nothing listens there
    try:
        job = services.detection_job_create(actor=lab, media=media)  # commits; the publish fails quietly
    finally:
        point_broker_at(real_url)
    job.refresh_from_db()
    assert job.status == "queued"

    worker.start()
    settings.DEEPFAKE_REQUEUE_SECONDS = 0
    assert detection_jobs_sweep()["resent"] == 1
    wait_for(lambda: DetectionJob.objects.get(pk=job.pk).is_finished, timeout=180, message="the re-sent job")
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1
    _assert_stored_once(job)


@pytest.mark.django_db
def test_job_whose_worker_keeps_dying_is_failed_with_a_reason_the_user_reads(lab, faces, client, settings):
    media = services.media_upload(actor=lab, uploaded_file=upload("f.jpg", jpeg_bytes(face_path(faces, "real", 2))))
    settings.CELERY_TASK_ALWAYS_EAGER = False  # leave it queued: this test plays the lost worker itself
    from platform_site.celery import app

    app.conf.task_always_eager = False
    try:
        job = services.detection_job_create(actor=lab, media=media)
    finally:
        app.conf.task_always_eager = True
    long_ago = timezone.now() - timezone.timedelta(seconds=settings.DEEPFAKE_STALE_SECONDS + 5)
    DetectionJob.objects.filter(pk=job.pk).update(status="running", attempts=settings.DEEPFAKE_MAX_ATTEMPTS,
                                                  started_at=long_ago, heartbeat_at=long_ago)
    assert detection_jobs_sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.error
    assert Notification.objects.filter(recipient=lab, title="Detection job %(id)d failed").exists()
    client.force_login(lab)
    page = client.get(reverse("deepfake:job_detail", kwargs={"job_id": job.pk}))
    assert page.status_code == 200 and job.error.split(" (")[0][:20] in page.content.decode()
    # A fresh heartbeat is left alone.
    DetectionJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
    assert detection_jobs_sweep() == {"requeued": 0, "failed": 0, "resent": 0}
    assert settings.DEEPFAKE_MAX_ATTEMPTS >= 2
