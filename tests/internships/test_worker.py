"""A submitted log's video gets its poster frame and duration from a real Celery worker."""

from __future__ import annotations

import pytest

from enterprises.internships import services
from enterprises.models import WeeklyLog
from tests.conftest import wait_for

from .builders import LOG_TEXT, clip_bytes, make_placement, video_upload


@pytest.mark.celery_worker
@pytest.mark.slow
def test_the_worker_makes_the_poster_frame(celery_worker_process):
    placement = make_placement()
    log = services.log_submit(actor=placement.student.user, placement=placement, text=LOG_TEXT,
                              video=video_upload(clip_bytes(seconds=3, size=(320, 240))))  # commits, then enqueues
    assert log.poster_status == "pending"

    def ready():
        row = WeeklyLog.objects.get(pk=log.pk)
        return row if row.poster_status in ("ready", "failed") else None

    row = wait_for(ready, timeout=90, message="the worker to make the poster frame")
    assert row.poster_status == "ready"
    assert row.video_duration_s == pytest.approx(3, abs=0.2)
    with row.poster.open("rb") as handle:
        head = handle.read()
    assert head.startswith(b"\xff\xd8\xff")
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(head)).size == (320, 240)
    assert "log_video_poster_task" in celery_worker_process.read_text()
