"""Video: calibrating the threshold on real video frames, and clip-level evaluation.

Real video (compression, blur, motion, framing) scores higher than the photos a detector is
trained on; a threshold taken from photos calls real clips fake. The video threshold is the
``REAL_FRAME_QUANTILE`` quantile of the frame scores of held-out *real* clips (never the
clips it is then evaluated on; see ``benchmarks/deepfake_video.py`` for the two-fold
evaluation), and never below the image threshold."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

REAL_FRAME_QUANTILE = 0.9
FRAMES = 32


def clip_frame_scores(detector, path: str | Path, frames: int = FRAMES) -> list[float]:
    from .inference import analyse_path

    analysis = analyse_path(path, detector, frame_count=frames, whole_image_fallback=False)
    return [f["score"] for f in analysis.frames if f["score"] is not None]


def threshold_from_real_frames(scores: list[float], image_threshold: float) -> float:
    if not scores:
        return image_threshold
    return float(max(image_threshold, np.quantile(np.asarray(scores), REAL_FRAME_QUANTILE)))


def calibrate_video_threshold(model, *, arch: str, input_size: int, threshold: float, real_clips: list[str]) -> dict:
    from .inference import Detector

    detector = Detector(model, name="calibration", arch=arch, input_size=input_size, threshold=threshold)
    scores: list[float] = []
    for clip in real_clips:
        scores.extend(clip_frame_scores(detector, clip))
    value = threshold_from_real_frames(scores, threshold)
    return {"threshold": value, "clips": [Path(c).name for c in real_clips], "frames": len(scores),
            "rule": f"{REAL_FRAME_QUANTILE:.0%} quantile of the frame scores of {len(real_clips)} real clips, "
                    "at least the image threshold"}


def labelled_clips(video_dir: str | Path) -> list[dict]:
    """Rows of ``labels.csv`` (file, label, manipulation) with absolute paths."""
    root = Path(video_dir)
    with open(root / "labels.csv", newline="", encoding="utf-8") as fh:
        return [{"path": str(root / r["file"]), "file": r["file"], "label": r["label"],
                 "manipulation": r["manipulation"]} for r in csv.DictReader(fh)]


def calibration_folds(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The real clips in two fixed folds (alternating by file name)."""
    real = sorted((r for r in rows if r["label"] == "real"), key=lambda r: r["file"])
    return real[0::2], real[1::2]
