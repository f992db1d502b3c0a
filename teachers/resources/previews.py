"""Preview images of shared resources: a PDF's first page, an image, a video's poster frame.
Rendered by a worker (teachers.tasks.resource_preview_task), never in a request."""

from __future__ import annotations

import io
import logging
import os
import tempfile

from django.core.files.base import ContentFile
from PIL import Image

from .models import Resource

log = logging.getLogger(__name__)
WIDTH = 480


def _jpeg(image: Image.Image) -> bytes:
    image = image.convert("RGB")
    image.thumbnail((WIDTH, WIDTH * 2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def _pdf_first_page(path: str) -> Image.Image:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[0]
        scale = WIDTH / max(1.0, page.get_width())
        return page.render(scale=max(scale, 0.2)).to_pil()
    finally:
        pdf.close()


def _video_poster(path: str) -> Image.Image | None:
    import cv2

    capture = cv2.VideoCapture(path)
    try:
        frames = int(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        if frames > 10:
            capture.set(cv2.CAP_PROP_POS_FRAMES, min(frames // 10, 250))
        ok, frame = capture.read()
    finally:
        capture.release()
    if not ok or frame is None:
        return None
    return Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))


def preview_render(*, resource: Resource) -> bool:
    """Render and store the preview; False when the format has none or the file is unreadable."""
    fmt = resource.content_type
    image = None
    try:
        if fmt in ("image/png", "image/jpeg"):
            with resource.file.open("rb") as fh:
                image = Image.open(fh)
                image.load()
        elif fmt in ("application/pdf", "video/mp4", "video/webm"):
            # Both libraries want a path; storage may not be local, so copy to a temporary file.
            suffix = ".pdf" if fmt == "application/pdf" else ".video"
            with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as tmp, resource.file.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    tmp.write(chunk)
            try:
                image = _pdf_first_page(tmp.name) if fmt == "application/pdf" else _video_poster(tmp.name)
            finally:
                os.unlink(tmp.name)
    except Exception:  # noqa: BLE001 - a broken file gets no preview, the resource stays
        log.warning("no preview for resource %s", resource.pk, exc_info=True)
        return False
    if image is None:
        return False
    if resource.preview:
        resource.preview.delete(save=False)
    resource.preview.save(f"{resource.pk}.jpg", ContentFile(_jpeg(image)), save=False)
    Resource.objects.filter(pk=resource.pk).update(preview=resource.preview.name)
    return True
