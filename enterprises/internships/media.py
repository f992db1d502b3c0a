"""The poster frame of a log's video, made in the worker (OpenCV imported here only)."""

from __future__ import annotations

import os
import shutil
import tempfile

from django.core.files.base import ContentFile

from .models import WeeklyLog


def poster_frame_jpeg(path: str, *, at_fraction: float = 0.1, max_side: int = 640) -> tuple[bytes, float]:
    """A JPEG of the frame at `at_fraction` of the clip (the first frame when seeking
    fails), scaled to at most `max_side`, and the clip's duration in seconds."""
    import cv2

    capture = cv2.VideoCapture(path)
    try:
        fps = capture.get(cv2.CAP_PROP_FPS) or 0
        frames = capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0
        duration = frames / fps if fps > 0 and frames > 0 else 0.0
        frame = None
        if frames > 1:
            capture.set(cv2.CAP_PROP_POS_FRAMES, int(frames * at_fraction))
            ok, frame = capture.read()
            if not ok:
                frame = None
        if frame is None:
            capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = capture.read()
            if not ok:
                raise ValueError("the video does not decode")
    finally:
        capture.release()
    height, width = frame.shape[:2]
    scale = min(1.0, max_side / max(width, height))
    if scale < 1.0:
        frame = cv2.resize(frame, (int(width * scale), int(height * scale)), interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ValueError("the frame does not encode")
    return encoded.tobytes(), round(duration, 2)


def log_poster_make(*, log_id: int) -> str:
    log = WeeklyLog.objects.filter(pk=log_id).first()
    if log is None or not log.video:
        return "missing"
    fd, path = tempfile.mkstemp(suffix=os.path.splitext(log.video.name)[1] or ".mp4", prefix="chanjiao-log-")
    try:
        with os.fdopen(fd, "wb") as out, log.video.open("rb") as source:
            shutil.copyfileobj(source, out)
        try:
            data, duration = poster_frame_jpeg(path)
        except (ValueError, OSError):
            WeeklyLog.objects.filter(pk=log.pk).update(poster_status=WeeklyLog.Poster.FAILED)
            return "failed"
    finally:
        os.unlink(path)
    if log.poster:
        log.poster.delete(save=False)
    log.poster.save(f"log-{log.pk}.jpg", ContentFile(data), save=False)
    WeeklyLog.objects.filter(pk=log.pk).update(poster=log.poster.name, poster_status=WeeklyLog.Poster.READY,
                                               video_duration_s=duration or log.video_duration_s)
    return "ready"
