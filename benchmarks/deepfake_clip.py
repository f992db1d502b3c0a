"""The 10-second 720p clip, end to end (issue 16, item 2). Prints figures; asserts nothing.

python -m benchmarks.deepfake_clip [--threads 2] [--repeats 5] [--frames 32] [--seconds 10] [--profile]

Builds a 10 s 1280x720 25 fps MP4 (mp4v) from the shared real faces (a face drifting over a
textured background, as in deepfake_throughput), then runs the lab's whole video path on it —
``inference.analyse_path``: frame sampling, YuNet face detection, alignment, batched
classification, aggregation — with torch and OpenCV limited to ``--threads`` threads. Prints the
best and median wall time, the CPU time of the process, the split by stage and the load
average (the machine is shared: wall time says as much about the neighbours as about the code).
``--profile`` prints the top functions of one run by cumulative time (cProfile).
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import torch

from benchmarks.deepfake_throughput import _timed, faces_dir, make_720p_video
from deepfake.ml import inference
from deepfake.ml.detect import DEFAULT_WEIGHTS
from deepfake.ml.inference import Detector, analyse_path, sample_frames


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights", default=str(DEFAULT_WEIGHTS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--frames", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10, help="length of the generated clip")
    parser.add_argument("--video", help="an existing clip instead of the generated one")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)  # OpenCV: the pipeline runs frames on 2 threads, 1 OpenCV thread each
    t = time.perf_counter()
    detector = Detector.from_file(args.weights, device="cpu", batch_size=64)
    print(f"torch threads {args.threads}; face detection on {inference.DETECT_WORKERS} threads; model {detector.name}; loading the model {time.perf_counter() - t:.2f} s "
          f"(once per worker, not counted below)")
    real = sorted((faces_dir() / "real").iterdir())[:10]
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(args.video) if args.video else make_720p_video(Path(tmp) / "clip720p.mp4", real,
                                                                   seconds=args.seconds)
        cap = cv2.VideoCapture(str(video))
        print(f"clip: {video.name}, {int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))}x{int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))}, "
              f"{int(cap.get(cv2.CAP_PROP_FRAME_COUNT))} frames, {video.stat().st_size / 1e6:.1f} MB")
        cap.release()
        analyse_path(video, detector, frame_count=args.frames)  # warm-up: YuNet and torch initialise once per process
        runs = []
        for _ in range(args.repeats):
            load = os.getloadavg()[0]
            t, c = time.perf_counter(), time.process_time()
            analysis = analyse_path(video, detector, frame_count=args.frames)
            runs.append((time.perf_counter() - t, time.process_time() - c, analysis, load))
        walls = [r[0] for r in runs]
        wall, cpu, analysis, load = min(runs, key=lambda r: r[0])
        tm = analysis.timings
        print(f"end to end, {args.frames} frames: best {wall:.2f} s, median {statistics.median(walls):.2f} s, "
              f"worst {max(walls):.2f} s over {args.repeats} runs; CPU time of the best run {cpu:.2f} s; "
              f"load average {load:.1f}")
        print(f"  best run: decode {tm['decode_s']:.2f} s, face detection + crops {tm['detect_s']:.2f} s, "
              f"classification {tm['classify_s']:.3f} s; {len(analysis.frames)} frames, {analysis.face_count} faces; "
              f"verdict {analysis.verdict}")
        floor = min(_timed(lambda: sample_frames(video, args.frames)) for _ in range(3))
        print(f"  decode-only floor (sampling the same frames, nothing else): {floor:.2f} s")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            analyse_path(video, detector, frame_count=args.frames)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    main()
