"""Checks and repacking of the teacher's labelled zip (framework-free apart from the error type).

Refused: a zip that is not a zip; too many members; members whose declared or actual
uncompressed size or compression ratio is out of bounds (zip bombs); absolute or ``..``
paths, backslashes, drive letters, symlinks, encrypted members (traversal tricks); members
that are not decodable JPEG/PNG/WebP images; a labels CSV whose rows do not match the
images one to one, with unknown labels or duplicates."""

from __future__ import annotations

import csv
import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from accounts.errors import ApplicationError

LABELS_NAME = "labels.csv"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
MAX_MEMBERS = 5000
MAX_MEMBER_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 400 * 1024 * 1024
MAX_RATIO = 50  # uncompressed / compressed; images barely compress
MAX_IMAGE_PIXELS = 4096 * 4096
_LABELS = {"real": 0, "0": 0, "fake": 1, "1": 1}


@dataclass
class LabelledImage:
    name: str  # member name in the zip
    data: bytes
    extension: str
    label: int
    generator: str


def _error(message: str) -> ApplicationError:
    return ApplicationError(message, code="invalid_archive")


def _safe_name(name: str) -> str:
    if "\x00" in name or "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise _error(f"Unsafe path in the zip: {name!r}.")
    parts = PurePosixPath(name).parts
    if any(p in ("..", "") for p in parts):
        raise _error(f"Unsafe path in the zip: {name!r}.")
    return name


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """Read with a hard cap: the declared size is not trusted."""
    with zf.open(info) as fh:
        data = fh.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise _error(f"{info.filename}: larger than {MAX_MEMBER_BYTES // (1024 * 1024)} MB uncompressed.")
    budget[0] -= len(data)
    if budget[0] < 0:
        raise _error("The zip expands to more than the allowed total size.")
    return data


def image_check(name: str, data: bytes) -> None:
    """A decodable JPEG/PNG/WebP of sane size, by content."""
    import cv2
    import numpy as np
    from PIL import Image

    head = data[:16]
    if not (head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n")
            or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")):
        raise _error(f"{name}: not a JPEG, PNG or WebP image.")
    try:
        with Image.open(io.BytesIO(data)) as img:
            w, h = img.size
    except Exception:  # noqa: BLE001 - any decoder complaint means "not an image"
        raise _error(f"{name}: not a decodable image.") from None
    if w * h > MAX_IMAGE_PIXELS or w < 8 or h < 8:
        raise _error(f"{name}: image size {w}×{h} is out of bounds.")
    if cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) is None:
        raise _error(f"{name}: not a decodable image.")


def _parse_labels(text: bytes) -> dict[str, tuple[int, str]]:
    if b"\x00" in text:
        raise _error("labels.csv contains NUL bytes.")
    try:
        reader = csv.DictReader(io.StringIO(text.decode("utf-8-sig")))
    except UnicodeDecodeError:
        raise _error("labels.csv is not UTF-8 text.") from None
    fields = {f.strip().lower() for f in (reader.fieldnames or [])}
    if not {"file", "label"} <= fields:
        raise _error("labels.csv needs the columns file,label (and optionally generator).")
    labels: dict[str, tuple[int, str]] = {}
    for n, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        name, raw = row.get("file", ""), row.get("label", "").lower()
        if raw not in _LABELS:
            raise _error(f"labels.csv line {n}: label {raw!r} is not real/fake (or 0/1).")
        if name in labels:
            raise _error(f"labels.csv line {n}: {name!r} is listed twice.")
        label = _LABELS[raw]
        generator = "real" if label == 0 else (row.get("generator") or "fake")[:60]
        if label == 1 and generator == "real":
            raise _error(f"labels.csv line {n}: a fake image cannot have the generator 'real'.")
        labels[name] = (label, generator)
    return labels


def read_labelled_zip(uploaded) -> list[LabelledImage]:
    """All images of the zip with their labels; raises ApplicationError on anything suspicious."""
    try:
        zf = zipfile.ZipFile(uploaded)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _error("Not a zip file.") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise _error(f"The zip has more than {MAX_MEMBERS} files.")
        for info in infos:
            _safe_name(info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _error(f"{info.filename}: symbolic links are not allowed.")
            if info.flag_bits & 0x1:
                raise _error(f"{info.filename}: encrypted files are not allowed.")
            if info.file_size > MAX_MEMBER_BYTES:
                raise _error(f"{info.filename}: larger than {MAX_MEMBER_BYTES // (1024 * 1024)} MB uncompressed.")
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise _error(f"{info.filename}: compression ratio too high (a zip bomb?).")
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise _error("The zip expands to more than the allowed total size.")
        label_infos = [i for i in infos if PurePosixPath(i.filename).name.lower() == LABELS_NAME]
        if len(label_infos) != 1:
            raise _error("The zip needs exactly one labels.csv.")
        budget = [MAX_TOTAL_BYTES]
        labels = _parse_labels(_read_member(zf, label_infos[0], budget))
        prefix = str(PurePosixPath(label_infos[0].filename).parent)
        prefix = "" if prefix == "." else prefix + "/"
        images: list[LabelledImage] = []
        seen: set[str] = set()
        for info in infos:
            if info is label_infos[0] or PurePosixPath(info.filename).name.startswith("."):
                continue
            rel = info.filename[len(prefix):] if info.filename.startswith(prefix) else info.filename
            suffix = PurePosixPath(rel).suffix.lower()
            if suffix not in IMAGE_SUFFIXES:
                raise _error(f"{info.filename}: not an image (only .jpg, .png, .webp).")
            if rel not in labels:
                raise _error(f"{info.filename}: no row in labels.csv.")
            data = _read_member(zf, info, budget)
            if len(data) > MAX_RATIO * max(info.compress_size, 1) and len(data) > 1024 * 1024:
                raise _error(f"{info.filename}: compression ratio too high (a zip bomb?).")
            image_check(info.filename, data)
            label, generator = labels[rel]
            images.append(LabelledImage(rel, data, suffix, label, generator))
            seen.add(rel)
        missing = sorted(set(labels) - seen)
        if missing:
            raise _error(f"labels.csv lists {len(missing)} file(s) not in the zip, e.g. {missing[0]!r}.")
    if not images:
        raise _error("The zip has no images.")
    return images


def build_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A new zip (stored, images do not compress) of (name, bytes) pairs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()
