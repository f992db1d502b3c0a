"""Small real files of every accepted kind, made on the fly: the demo's resources and the tests' uploads."""

from __future__ import annotations

import io
import zipfile

import numpy as np
from PIL import Image


def pdf_bytes(text: str = "Chanjiao courseware") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFillColorRGB(0.1, 0.3, 0.8)
    c.rect(50, 600, 400, 150, fill=1)
    c.drawString(60, 560, text)
    c.showPage()
    c.save()
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.fromarray((np.indices((60, 80)).sum(axis=0) % 255).astype("uint8")).save(out, "PNG")
    return out.getvalue()


def mp4_bytes(tmp_path=None) -> bytes:
    import tempfile
    from pathlib import Path

    import cv2

    tmp_path = Path(tmp_path or tempfile.mkdtemp())
    path = str(tmp_path / "clip.mp4")
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"mp4v"), 10, (64, 48))
    for i in range(20):
        frame = np.full((48, 64, 3), (i * 10) % 255, dtype=np.uint8)
        writer.write(frame)
    writer.release()
    with open(path, "rb") as fh:
        return fh.read()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("orders.csv", "id,amount\n1,9.9\n")
    return out.getvalue()
