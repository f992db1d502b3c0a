"""Reading a video container's facts with OpenCV only (no torch): used by upload
validation in the web process and by inference in the worker."""

from __future__ import annotations

from pathlib import Path

import cv2


def video_info(path: str | Path) -> dict:
    """fps, frame count, duration and size from the container; raises ValueError if it does not open
    or has no decodable frame."""
    cap = cv2.VideoCapture(str(path))
    try:
        if not cap.isOpened():
            raise ValueError("not a decodable video")
        ok, frame = cap.read()
        if not ok or frame is None:
            raise ValueError("the video has no decodable frame")
        fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        return {
            "fps": float(fps),
            "frame_count": count,
            "duration_s": float(count / fps) if fps > 0 and count > 0 else 0.0,
            "width": int(frame.shape[1]),
            "height": int(frame.shape[0]),
        }
    finally:
        cap.release()
