"""The detector on real video: per-clip scores, clip-level AUC, false positives on real clips.
Prints figures; asserts nothing.

python -m benchmarks.deepfake_video [--videos ../shared/data/videos] [--weights FILE] [--frames 32]

Each clip of the labelled set is analysed as an upload is (32 evenly spaced frames, YuNet,
aligned crops, mean of frame scores). Clip AUC needs no threshold. The false-positive rate
on real clips uses a threshold calibrated on the *other* fold of real clips (two fixed
folds, ``video_eval.calibration_folds``), so no real clip is judged with a threshold fitted
on itself; fakes are judged with the threshold calibrated on all real clips (the shipped
one). "uncertain" verdicts are counted apart.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from deepfake.ml.detect import DEFAULT_WEIGHTS
from deepfake.ml.inference import Detector, analyse_path, uncertainty
from deepfake.ml.metrics import roc_auc
from deepfake.ml.video_eval import calibration_folds, labelled_clips, threshold_from_real_frames

ROOT = Path(__file__).resolve().parent.parent


def analyse_labelled_clips(videos, detector, frames: int, base_threshold: float):
    """Every labelled clip analysed, and the threshold each is judged by: calibrated on the real
    clips of the other fold (no clip judged with a threshold fitted on itself); fakes by the one
    from all real clips. Returns (rows, results by file, thresholds by file, all-real threshold,
    seconds spent analysing)."""
    rows = labelled_clips(videos)
    results = {}
    t = time.perf_counter()
    for row in rows:
        analysis = analyse_path(row["path"], detector, frame_count=frames, whole_image_fallback=False)
        frame_scores = [f["score"] for f in analysis.frames if f["score"] is not None]
        faces = [face for f in analysis.frames for face in f["faces"]]
        results[row["file"]] = {**row, "score": analysis.score, "frame_scores": frame_scores, "faces": faces,
                                "frames": len(analysis.frames)}
    elapsed = time.perf_counter() - t
    fold_a, fold_b = calibration_folds(rows)
    thresholds = {}
    for held, other in ((fold_a, fold_b), (fold_b, fold_a)):
        calib = threshold_from_real_frames([s for r in other for s in results[r["file"]]["frame_scores"]],
                                           base_threshold)
        for r in held:
            thresholds[r["file"]] = calib
    all_real = threshold_from_real_frames([s for r in fold_a + fold_b for s in results[r["file"]]["frame_scores"]],
                                          base_threshold)
    return rows, results, thresholds, all_real, elapsed


def clip_verdict(result: dict, threshold: float) -> str:
    """A clip's verdict as the lab gives it: no_face, uncertain (inference.uncertainty), fake or real."""
    score = result["score"]
    if score is None:
        return "no_face"
    if uncertainty(result["frame_scores"], result["faces"], result["frames"], score, threshold):
        return "uncertain"
    return "fake" if score >= threshold else "real"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", default=os.environ.get("CHANJIAO_VIDEOS_DIR") or str(ROOT.parent / "shared" / "data" / "videos"))
    parser.add_argument("--weights", default=str(DEFAULT_WEIGHTS))
    parser.add_argument("--frames", type=int, default=32)
    args = parser.parse_args()
    detector = Detector.from_file(args.weights, device="cpu")
    video_model = detector.for_kind("video")  # the model that judges video (a pair routes images elsewhere)
    rows, results, thresholds, all_real, elapsed = analyse_labelled_clips(args.videos, detector, args.frames,
                                                                          video_model.threshold)
    print(f"model {detector.name}, video judged by {video_model.name}: its image threshold {video_model.threshold:.3f}, "
          f"shipped video threshold {video_model.video_threshold:.3f} (recomputed on all real clips here: {all_real:.3f}); "
          f"{len(rows)} clips analysed in {elapsed:.0f} s")
    print("| clip | label | manipulation | frames with a face | clip score | threshold | verdict |")
    print("|---|---|---|---|---|---|---|")
    counts = {"real": {"real": 0, "fake": 0, "uncertain": 0, "no_face": 0},
              "fake": {"real": 0, "fake": 0, "uncertain": 0, "no_face": 0}}
    labels, scores = [], []
    for name, r in results.items():
        threshold = thresholds.get(name, all_real)
        score = r["score"]
        verdict = clip_verdict(r, threshold)
        if score is not None:
            labels.append(r["label"] == "fake")
            scores.append(score)
        counts[r["label"]][verdict] += 1
        print(f"| {name} | {r['label']} | {r['manipulation'][:40]} | {len(r['frame_scores'])}/{r['frames']} | "
              f"{'—' if score is None else f'{score:.3f}'} | {threshold:.3f} | {verdict} |")
    auc = roc_auc(np.asarray(labels), np.asarray(scores))
    n_real = sum(counts["real"].values())
    n_fake = sum(counts["fake"].values())
    print(f"clip AUC {auc:.3f} ({n_real} real, {n_fake} fake)")
    print(f"real clips: {counts['real']['fake']}/{n_real} called fake (false positives), "
          f"{counts['real']['uncertain']} uncertain, {counts['real']['real']} real")
    print(f"fake clips: {counts['fake']['fake']}/{n_fake} called fake, {counts['fake']['uncertain']} uncertain, "
          f"{counts['fake']['real']} called real")


if __name__ == "__main__":
    main()
