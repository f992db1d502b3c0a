"""Detection without the web: ``python -m deepfake.ml.detect PATH [PATH ...] [--weights FILE]``.

One JSON object per file, errors included (the run goes on): ``path``, ``kind``,
``frames_analysed``, ``faces`` (and ``faces_per_frame`` / ``frame_scores`` for a video),
``score`` (probability of fake, or null with a ``reason``), ``whole_image_score``,
``threshold``, ``verdict`` (real, fake, uncertain, no_face or error), ``uncertain`` with
``uncertain_reasons``, ``model``. Exit status 0 when every file was analysed, 1 when any
failed, 2 for bad usage. ``manage.py detect`` wraps ``run`` with the model registry.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .paths import DEFAULT_WEIGHTS, WEIGHTS_DIR  # noqa: F401 - part of this module's API

# torch and OpenCV load with .inference, inside the functions that run it (so `manage.py check`
# and `manage.py help` never import them).
AGGREGATIONS = ("mean", "confident")  # the same as inference.AGGREGATIONS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def error_record(path: str, reason: str, kind: str | None = None) -> dict:
    return {"path": path, "kind": kind, "frames_analysed": 0, "faces": 0, "score": None, "verdict": "error",
            "threshold": None, "uncertain": None, "uncertain_reasons": [], "whole_image_score": None,
            "reason": reason}


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def records(paths: list[str], detector, *, frames: int = 32, aggregation: str = "mean") -> Iterator[dict]:
    """A record per file; a file that cannot be read or analysed gives an ``error`` record."""
    from .inference import analyse_path, file_kind, iter_media

    for path in paths:
        p = Path(path)
        if not p.exists():
            yield error_record(path, "no such file or directory")
            continue
        for item in iter_media([p]) if p.is_dir() else [p]:
            kind = file_kind(item)
            if kind == "unknown":
                yield error_record(str(item), "not an image or video file (by extension)")
                continue
            try:
                yield analyse_path(item, detector, frame_count=frames, aggregation=aggregation).as_json(str(item))
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
                yield error_record(str(item), _one_line(exc), kind)


def human_line(r: dict) -> str:
    if r["verdict"] == "error":
        return f"{r['path']}: error ({r['reason']})"
    score = "—" if r["score"] is None else f"{r['score']:.3f}"
    whole = "" if r.get("whole_image_score") is None else f" whole_image={r['whole_image_score']:.3f}"
    faces = f" faces={r['faces']}"
    if r.get("faces_per_frame") is not None:
        faces += f" ({','.join(map(str, r['faces_per_frame']))})"
    why = f" [{'; '.join(r['uncertain_reasons'])}]" if r.get("uncertain_reasons") else ""
    reason = f" ({r['reason']})" if r.get("reason") else ""
    return (f"{r['path']}: {r['verdict']} p(fake)={score} threshold={r['threshold']:.3f}{whole} "
            f"frames={r['frames_analysed']}{faces}{why}{reason}")


def run(paths: list[str], detector, *, frames: int = 32, aggregation: str = "mean",
        out: TextIO = sys.stdout, as_json: bool = True) -> int:
    """Write one line per file; returns the number of files that failed."""
    failures = 0
    for record in records(paths, detector, frames=frames, aggregation=aggregation):
        failures += record["verdict"] == "error"
        out.write((json.dumps(record) if as_json else human_line(record)) + "\n")
        out.flush()
    return failures


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= number <= 1024:
        raise argparse.ArgumentTypeError(f"{value} is out of range (1..1024)")
    return number


def device_name(value: str) -> str:
    if value not in ("cpu", "cuda") and not value.startswith("cuda:"):
        raise argparse.ArgumentTypeError(f"{value!r}: use cpu or cuda")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Detect GAN-synthesised faces in images and videos.")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--weights", default=str(DEFAULT_WEIGHTS))
    parser.add_argument("--frames", type=positive_int, default=32)
    parser.add_argument("--aggregation", choices=AGGREGATIONS, default="mean")
    parser.add_argument("--device", type=device_name)
    parser.add_argument("--human", action="store_true", help="one readable line per file instead of JSON")
    args = parser.parse_args(argv)
    from .inference import Detector

    try:
        detector = Detector.from_file(args.weights, device=args.device)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    failures = run(args.paths, detector, frames=args.frames, aggregation=args.aggregation, as_json=not args.human)
    return EXIT_FAILED if failures else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
