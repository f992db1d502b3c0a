"""Files built at test time for the attack tests (never committed binaries)."""

from __future__ import annotations

import io
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int, height: int, *, color: bool = True, rows: int | None = None) -> bytes:
    """A PNG of width×height (grey pixels), its data streamed through zlib so that a
    huge picture costs little to build. `rows`: only that many rows of data (truncated)."""
    channels = 3 if color else 1
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2 if color else 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * (channels * width)
    parts = []
    for _ in range(height if rows is None else rows):
        parts.append(compressor.compress(row))
    if rows is not None:  # the stream stops mid-picture, as in a file cut short: no end of data, no IEND
        parts.append(compressor.flush(zlib.Z_SYNC_FLUSH))
        return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts))
    parts.append(compressor.flush())
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def jpeg(width: int = 64, height: int = 64) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 90, 60)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
