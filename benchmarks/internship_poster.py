"""Poster frame of a 60 s 720p clip (enterprises/internships/media.py) and the upload check.

    .venv/bin/python benchmarks/internship_poster.py [--seconds 60] [--runs 5]

Writes a 60 s 1280×720 25 fps MP4 (cv2.VideoWriter, mp4v) once into /tmp, then times
`poster_frame_jpeg` (seek to 10 %, decode, scale to 640 px, JPEG) and the content check
a log upload goes through (`enterprises.validation.check_upload`: sniff, decode the first
frame, measure the duration). Median and worst of the runs; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings.test")


def write_clip(path: Path, seconds: int) -> None:
    import cv2
    import numpy as np

    if path.exists():
        return
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25, (1280, 720))
    rng = np.random.default_rng(1)
    base = rng.integers(0, 255, size=(720, 1280, 3), dtype=np.uint8)
    for i in range(seconds * 25):
        frame = np.roll(base, i * 4, axis=1)
        cv2.putText(frame, f"{i}", (60, 360), cv2.FONT_HERSHEY_SIMPLEX, 4, (255, 255, 255), 8)
        writer.write(frame)
    writer.release()


def main() -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enterprises.internships.media import poster_frame_jpeg
    from enterprises.validation import check_upload

    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    clip = Path(f"/tmp/chanjiao-bench-{args.seconds}s-720p.mp4")
    start = time.perf_counter()
    write_clip(clip, args.seconds)
    print(f"clip: {clip} {clip.stat().st_size / 1e6:.1f} MB (written in {time.perf_counter() - start:.1f} s)")
    poster, check = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        data, duration = poster_frame_jpeg(str(clip))
        poster.append(time.perf_counter() - t)
        upload = SimpleUploadedFile("clip.mp4", clip.read_bytes(), content_type="video/mp4")
        t = time.perf_counter()
        checked = check_upload(upload, allowed=("video",), max_bytes=200 * 1024 * 1024, max_seconds=args.seconds)
        check.append(time.perf_counter() - t)
    print(f"duration {duration:.1f} s, poster {len(data) / 1e3:.0f} kB, check {checked.video}")
    print("| step | median s | worst s |")
    print("|---|---:|---:|")
    print(f"| poster frame (seek 10 %, decode, scale, JPEG) | {statistics.median(poster):.3f} | {max(poster):.3f} |")
    print(f"| upload content check (sniff, first frame, duration) | {statistics.median(check):.3f} | {max(check):.3f} |")


if __name__ == "__main__":
    main()
