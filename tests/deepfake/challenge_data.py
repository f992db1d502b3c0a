"""Builders for challenge tests: labelled zips of small synthetic images (or the shared faces),
a challenge for a class, and prediction CSVs."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import cv2
import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


def png(seed: int, side: int = 24) -> bytes:
    rng = np.random.default_rng(seed)
    ok, buf = cv2.imencode(".png", rng.integers(0, 255, (side, side, 3), dtype=np.uint8))
    assert ok
    return buf.tobytes()


def labelled_zip(n_real: int = 8, generators: dict[str, int] | None = None, *, extra: list[tuple[str, bytes]] = (),
                 labels_extra: str = "", drop_label_for: str | None = None) -> bytes:
    generators = generators if generators is not None else {"stylegan3": 4, "dcgan": 4}
    members, rows = [], ["file,label,generator"]
    seed = 0
    for i in range(n_real):
        seed += 1
        members.append((f"real/r{i}.png", png(seed)))
        rows.append(f"real/r{i}.png,real,")
    for g, n in generators.items():
        for i in range(n):
            seed += 1
            members.append((f"fake/{g}_{i}.png", png(seed)))
            rows.append(f"fake/{g}_{i}.png,fake,{g}")
    if drop_label_for:
        rows = [r for r in rows if not r.startswith(drop_label_for + ",")]
    csv = "\n".join(rows) + "\n" + labels_extra
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [*members, *extra]:
            zf.writestr(name, data)
        zf.writestr("labels.csv", csv)
    return buffer.getvalue()


def as_upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def make_challenge(teacher, school_class, *, data: bytes | None = None, starts_at=None, ends_at=None, **kwargs):
    from deepfake.challenges import services

    now = timezone.now()
    return services.challenge_create(
        actor=teacher, title=kwargs.pop("title", "Find the fakes"), classes=[school_class],
        archive=as_upload("set.zip", data or labelled_zip()), starts_at=starts_at or now - timedelta(days=1),
        ends_at=ends_at or now + timedelta(days=7), **kwargs)


def predictions_csv(challenge, *, perfect: bool = True, flip_private: bool = False, value=None) -> bytes:
    """Predictions for every test item: the true label (perfect) or its opposite; with
    ``flip_private`` the private half is predicted wrongly."""
    lines = ["id,probability"]
    for item in challenge.items.order_by("item_id"):
        p = float(item.label) if perfect else 1.0 - item.label
        if flip_private and not item.is_public:
            p = 1.0 - p
        if value is not None:
            p = value
        lines.append(f"{item.item_id},{p}")
    return ("\n".join(lines) + "\n").encode()
