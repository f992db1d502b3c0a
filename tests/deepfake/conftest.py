"""Fixtures for the deepfake tests: the shared faces (read in place, never copied into
the repository), the shipped model registered, media builders, and class membership."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile


def faces_dir() -> Path:
    return Path(os.environ.get("CHANJIAO_FACES_DIR") or Path(settings.BASE_DIR).parent / "shared" / "data" / "faces")


@pytest.fixture(scope="session")
def faces() -> Path:
    path = faces_dir()
    if not (path / "real").is_dir():
        pytest.skip(f"the shared faces are not at {path} (set CHANJIAO_FACES_DIR)")
    return path


@pytest.fixture
def shipped_model(db):
    from deepfake.demo import register_shipped_model

    model = register_shipped_model()
    assert model is not None, "deepfake/weights/small_cnn_v2.pt is missing"
    return model


def face_path(faces: Path, source: str = "real", index: int = 0) -> Path:
    return sorted((faces / source).iterdir())[index]


def jpeg_bytes(path: Path, side: int = 160, quality: int = 90) -> bytes:
    img = cv2.imread(str(path))
    img = cv2.resize(img, (side, side), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return buf.tobytes()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_video(path: Path, images: list[Path], *, seconds: float = 2.0, fps: int = 10, size=(320, 240)) -> Path:
    """An MP4 (mp4v) slideshow of the given face images, each centred on a grey frame."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    assert writer.isOpened(), "OpenCV cannot write MP4 here"
    n = int(seconds * fps)
    w, h = size
    for i in range(n):
        face = cv2.imread(str(images[i * len(images) // n]))
        side = min(h - 20, face.shape[0])
        face = cv2.resize(face, (side, side))
        frame = np.full((h, w, 3), 128, np.uint8)
        y, x = (h - side) // 2, (w - side) // 2
        frame[y : y + side, x : x + side] = face
        writer.write(frame)
    writer.release()
    return path


def png_header_bomb(width: int = 20000, height: int = 20000) -> bytes:
    """A tiny PNG whose header claims width×height pixels (a decompression bomb's calling card)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # Rows of zeros compress ~1000:1; a few rows are enough for the header to be read.
    raw = zlib.compress(b"\x00" * (1 + 3 * width) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def uploaded_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "deepfake" / "uploads"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def class_of(db):
    """class_of(teacher, *students): put the students in a class headed by the teacher."""
    from students.models import StudentProfile
    from teachers.models import Major, SchoolClass

    counter = {"n": 0}

    def _make(teacher, *students):
        counter["n"] += 1
        major, _ = Major.objects.get_or_create(code="df-test-major", defaults={"name": "大数据技术"})
        school_class = SchoolClass.objects.create(major=major, intake_year=2025, code=f"df-class-{teacher.pk}-{counter['n']}",
                                                  name="大数据2501", head_teacher=teacher)
        for s in students:
            StudentProfile.objects.create(user=s, student_number=f"DF{s.pk:06d}", major=major, school_class=school_class,
                                          intake_year=2025)
        return school_class

    return _make


