"""Checks of what students upload for employers: recognised by content (first bytes,
then a full decode), never by the name or the browser's content type, and within
size limits. Anything else is a 400 and nothing is stored."""

from __future__ import annotations

import os
import tempfile
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.errors import ApplicationError

MB = 1024 * 1024
PHOTO_MAX_BYTES = 2 * MB
IMAGE_MAX_BYTES = 5 * MB
PDF_MAX_BYTES = 10 * MB
VIDEO_MAX_BYTES = 30 * MB
VIDEO_MAX_SECONDS = 90
IMAGE_MAX_PIXELS = 25_000_000


@dataclass
class CheckedFile:
    kind: str          # image, pdf, video
    content_type: str
    extension: str
    size: int
    video: VideoInfo | None = None


def _reject(message: str, code: str = "invalid_upload") -> ApplicationError:
    return ApplicationError(message, code=code, status_code=400, extra={"file": [message]})


def _sniff(head: bytes) -> tuple[str, str, str] | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "image/jpeg", ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "image/png", ".png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "image/webp", ".webp"
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf", ".pdf"
    if head[4:8] == b"ftyp":
        return "video", "video/mp4", ".mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "video/webm", ".webm"
    return None


def _check_image(upload) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.size[0] * image.size[1] > IMAGE_MAX_PIXELS:
                    raise _reject(_("The image is too large (more than 25 megapixels)."))
                image.load()
    except ApplicationError:
        raise
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise _reject(_("The image is damaged or not really an image."), code="undecodable") from None
    finally:
        upload.seek(0)


def _check_pdf(upload) -> None:
    upload.seek(max(0, upload.size - 2048))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise _reject(_("The PDF is incomplete or damaged."), code="undecodable")


@dataclass
class VideoInfo:
    duration_s: float
    width: int
    height: int


def _check_video(upload, extension: str, *, max_seconds: int = VIDEO_MAX_SECONDS,
                 max_side: int = 0) -> VideoInfo:
    """Decode the first frame and measure the clip (frame count / fps; when the container
    does not say, the frames are counted up to the limit). OpenCV is imported here only."""
    import cv2

    fd, path = tempfile.mkstemp(suffix=extension, prefix="chanjiao-portfolio-")
    try:
        with os.fdopen(fd, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks():
                out.write(chunk)
        capture = cv2.VideoCapture(path)
        try:
            ok, frame = capture.read()
            fps = capture.get(cv2.CAP_PROP_FPS) or 0
            frames = capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0
            if ok and frame is not None and fps > 0 and frames <= 0:
                frames = 1
                while frames <= max_seconds * fps + 1 and capture.grab():
                    frames += 1
        finally:
            capture.release()
        if not ok or frame is None:
            raise _reject(_("The video does not decode."), code="undecodable")
        if fps > 0 and frames / fps > max_seconds:
            raise _reject(_("The video is longer than %(s)d seconds.") % {"s": max_seconds}, code="too_long")
        height, width = frame.shape[:2]
        if max_side and max(width, height) > max_side:
            raise _reject(_("The video is larger than %(px)d pixels on its longer side.") % {"px": max_side},
                          code="too_large_dimensions")
        return VideoInfo(duration_s=round(frames / fps, 2) if fps > 0 else 0.0, width=width, height=height)
    finally:
        upload.seek(0)
        os.unlink(path)


def check_upload(upload, *, allowed: tuple[str, ...] = ("image", "pdf", "video"), max_bytes: int | None = None,
                 max_seconds: int = VIDEO_MAX_SECONDS, max_side: int = 0) -> CheckedFile:
    """Check an upload by content. `max_bytes`, `max_seconds` and `max_side` override the
    portfolio's limits (internship log videos: 50 MB, 60 s); a video's measures are
    returned in `video`."""
    size = getattr(upload, "size", 0) or 0
    if size <= 0:
        raise _reject(_("The file is empty."), code="empty_file")
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    sniffed = _sniff(head)
    if sniffed is None or sniffed[0] not in allowed:
        names = {"image": _("a JPEG, PNG or WebP image"), "pdf": _("a PDF"), "video": _("an MP4 or WebM video")}
        raise _reject(_("The file must be %(kinds)s.") % {"kinds": ", ".join(str(names[k]) for k in allowed)},
                      code="unsupported_type")
    kind, content_type, extension = sniffed
    limit = {"image": IMAGE_MAX_BYTES, "pdf": PDF_MAX_BYTES, "video": VIDEO_MAX_BYTES}[kind]
    if allowed == ("image",):
        limit = PHOTO_MAX_BYTES
    if max_bytes is not None:
        limit = max_bytes
    if size > limit:
        raise _reject(_("The file is larger than %(mb)d MB.") % {"mb": limit // MB}, code="file_too_large")
    if kind == "image":
        _check_image(upload)
    elif kind == "pdf":
        _check_pdf(upload)
    else:
        video = _check_video(upload, extension, max_seconds=max_seconds, max_side=max_side)
        return CheckedFile(kind, content_type, extension, size, video)
    return CheckedFile(kind, content_type, extension, size)
