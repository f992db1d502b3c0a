"""Detection without the web: ``python -m deepfake.ml.detect PATH [PATH ...] [--weights FILE]``.

Prints one JSON object per file (``path``, ``kind``, ``faces``, ``score`` -- probability
of fake, or null with a ``reason`` -- and ``verdict``). ``manage.py detect`` wraps
``run`` with the model registry.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from .inference import AGGREGATIONS, Detector, analyse_path, iter_media
from .paths import DEFAULT_WEIGHTS, WEIGHTS_DIR  # noqa: F401 - part of this module's API


def run(paths: list[str], detector: Detector, *, frames: int = 32, aggregation: str = "mean",
        out: TextIO = sys.stdout) -> int:
    """Analyse every file; a file that cannot be read gives a null score with the reason.
    Returns the number of files that failed."""
    failures = 0
    for path in iter_media(paths):
        try:
            record = analyse_path(path, detector, frame_count=frames, aggregation=aggregation).as_json(str(path))
        except (ValueError, OSError) as exc:
            failures += 1
            record = {"path": str(path), "kind": None, "faces": 0, "score": None, "verdict": "error", "reason": str(exc)}
        out.write(json.dumps(record) + "\n")
        out.flush()
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Detect GAN-synthesised faces in images and videos.")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--weights", default=str(DEFAULT_WEIGHTS))
    parser.add_argument("--frames", type=int, default=32)
    parser.add_argument("--aggregation", choices=AGGREGATIONS, default="mean")
    parser.add_argument("--device")
    args = parser.parse_args(argv)
    detector = Detector.from_file(args.weights, device=args.device)
    return 1 if run(args.paths, detector, frames=args.frames, aggregation=args.aggregation) else 0


if __name__ == "__main__":
    raise SystemExit(main())
