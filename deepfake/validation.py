"""Upload checks by content: the file must decode, within the size, pixel and
duration limits of settings. The name a client sends is only displayed, never used
as a path."""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.errors import ApplicationError


@dataclass
class InspectedUpload:
    kind: str  # "image" or "video"
    content_type: str
    extension: str
    width: int
    height: int
    size_bytes: int
    sha256: str
    duration_s: float | None = None
    frame_count: int | None = None


def _reject(message: str, code: str = "invalid_upload") -> ApplicationError:
    return ApplicationError(message, code=code, status_code=400)


def sniff(head: bytes) -> tuple[str, str, str] | None:
    """(kind, content type, extension) from the first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "image/jpeg", ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "image/png", ".png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "image/webp", ".webp"
    if head[4:8] == b"ftyp":
        if head[8:12] == b"qt  ":
            return "video", "video/quicktime", ".mov"
        return "video", "video/mp4", ".mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:
        return "video", "video/webm", ".webm"
    return None


def clean_original_name(name: str | None) -> str:
    """The client's file name, for display only. Names that try to walk the file
    system are refused outright rather than silently rewritten."""
    name = (name or "").strip()
    if not name:
        return ""
    if "/" in name or "\\" in name or "\x00" in name or name in {".", ".."} or name.startswith(".."):
        raise _reject(_("The file name is not allowed."), code="unsafe_file_name")
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-120:]


def _read_all(uploaded) -> bytes:
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    return data


def inspect_upload(uploaded) -> InspectedUpload:
    size = getattr(uploaded, "size", None)
    if not size:
        raise _reject(_("The file is empty."), code="empty_file")
    if size > settings.DEEPFAKE_MAX_UPLOAD_BYTES:
        raise _reject(
            _("The file is larger than %(limit)d MB.") % {"limit": settings.DEEPFAKE_MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(64)
    uploaded.seek(0)
    sniffed = sniff(head)
    if sniffed is None:
        raise _reject(_("The file is not a JPEG, PNG or WebP image or an MP4, WebM or MOV video."), code="unsupported_type")
    kind, content_type, extension = sniffed
    if kind == "image":
        return _inspect_image(uploaded, content_type, extension, size)
    return _inspect_video(uploaded, content_type, extension, size)


def _inspect_image(uploaded, content_type: str, extension: str, size: int) -> InspectedUpload:
    data = _read_all(uploaded)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as img:
                width, height = img.size  # from the header, before any pixel is decoded
                if width * height > settings.DEEPFAKE_MAX_IMAGE_PIXELS:
                    raise _reject(
                        _("The image has %(pixels)s pixels; the limit is %(limit)s.")
                        % {"pixels": f"{width * height:,}", "limit": f"{settings.DEEPFAKE_MAX_IMAGE_PIXELS:,}"},
                        code="too_many_pixels",
                    )
                img.load()  # a truncated or corrupt file fails here
    except ApplicationError:
        raise
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise _reject(_("The image does not decode: %(error)s") % {"error": exc}, code="undecodable") from exc
    finally:
        uploaded.seek(0)
    # The worker decodes with OpenCV: make sure it can, too. (Imported here: the web
    # process loads OpenCV on its first upload, not at start.)
    import cv2
    import numpy as np

    if cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR) is None:
        raise _reject(_("The image does not decode."), code="undecodable")
    return InspectedUpload("image", content_type, extension, width, height, size, hashlib.sha256(data).hexdigest())


def _inspect_video(uploaded, content_type: str, extension: str, size: int) -> InspectedUpload:
    temp_path = getattr(uploaded, "temporary_file_path", None)
    own_temp = None
    digest = hashlib.sha256()
    try:
        if temp_path is not None:
            path = temp_path()
            uploaded.seek(0)
            for chunk in uploaded.chunks():
                digest.update(chunk)
        else:
            fd, own_temp = tempfile.mkstemp(suffix=extension, prefix="chanjiao-probe-")
            with os.fdopen(fd, "wb") as out:
                uploaded.seek(0)
                for chunk in uploaded.chunks():
                    digest.update(chunk)
                    out.write(chunk)
            path = own_temp
        from .ml.video import video_info

        try:
            info = video_info(path)
        except ValueError as exc:
            raise _reject(_("The video does not decode."), code="undecodable") from exc
        if info["width"] * info["height"] > settings.DEEPFAKE_MAX_VIDEO_PIXELS:
            raise _reject(_("The video frame is too large (%(w)d×%(h)d).") % {"w": info["width"], "h": info["height"]},
                          code="too_many_pixels")
        duration = info["duration_s"]
        frames = info["frame_count"]
        if duration <= 0:
            duration, frames = _count_duration(path, info["fps"] or 25.0)
        if duration > settings.DEEPFAKE_MAX_VIDEO_SECONDS:
            raise _reject(
                _("The video lasts %(seconds).0f s; the limit is %(limit)d s.")
                % {"seconds": duration, "limit": settings.DEEPFAKE_MAX_VIDEO_SECONDS},
                code="video_too_long",
            )
        return InspectedUpload("video", content_type, extension, info["width"], info["height"], size, digest.hexdigest(),
                               duration_s=round(duration, 3), frame_count=frames)
    finally:
        uploaded.seek(0)
        if own_temp is not None:
            Path(own_temp).unlink(missing_ok=True)


def _count_duration(path: str, fps: float) -> tuple[float, int]:
    """Containers without a frame count (some WebM): count frames, stopping just past the limit."""
    import cv2

    cap = cv2.VideoCapture(path)
    limit = int(settings.DEEPFAKE_MAX_VIDEO_SECONDS * fps) + 2
    count = 0
    try:
        while count < limit and cap.grab():
            count += 1
    finally:
        cap.release()
    return count / fps, count
