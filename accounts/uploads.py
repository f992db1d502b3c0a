"""Checks on uploaded files shared by every app that takes images."""

from __future__ import annotations

PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG_END = b"\xff\xd9"


def image_ends_where_it_should(upload, kind: str) -> bool:
    """A PNG ends with its IEND chunk and a JPEG with its EOI marker (padding zeros
    allowed). A file cut short — which decoders often accept — or one with another
    file glued after the picture (a PNG/ZIP polyglot) does not."""
    size = upload.size
    upload.seek(max(0, size - 4096))
    tail = upload.read()
    upload.seek(0)
    if kind == "png":
        return tail.endswith(PNG_END)
    if kind in ("jpg", "jpeg"):
        return tail.rstrip(b"\x00").endswith(JPEG_END)
    return True
