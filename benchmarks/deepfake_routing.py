"""Still images through the routed detector: held-out AUC per generator, and which model judged them.

python -m benchmarks.deepfake_routing [--weights FILE] [--data DIR] [--threads 1]

The test split is the one ``train_detector`` held out (same seed; the photo model and small_cnn_v2 were
trained with seed 0 on the same folder, so neither saw these images). Every image gets the evaluation
normalisation (short side 160 px, JPEG q90, identical for both classes) and then goes through
``inference.analyse_frames`` with ``kind="image"`` — the path jobs and ``detect`` take — once with the
detector as shipped (images routed to its companion) and once with the main weights alone
(``companions={}``: what v2 did before routing), with a paired bootstrap interval of the AUC gain
(the StyleGAN3 half has only 30 fakes). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
from collections import Counter
from pathlib import Path

import numpy as np
import torch

from deepfake.ml import data, metrics
from deepfake.ml.detect import DEFAULT_WEIGHTS
from deepfake.ml.faces import load_image_rgb
from deepfake.ml.inference import Detector, Frame, analyse_frames

ROOT = Path(__file__).resolve().parent.parent


def evaluate(detector: Detector, images: list[np.ndarray], labels: np.ndarray, sources: np.ndarray) -> dict:
    analyses = [analyse_frames([Frame(0, 0.0, img)], detector, kind="image") for img in images]
    # No face: the whole-image score, as the report shows it (YuNet finds a face in every test image).
    probs = np.array([a.score if a.score is not None else a.whole_image_score for a in analyses])
    threshold = analyses[0].threshold
    out = {"judged_by": Counter(a.model for a in analyses), "threshold": threshold, "probs": probs,
           "no_face": sum(a.score is None for a in analyses), "uncertain": sum(a.uncertain for a in analyses)}
    for s in ["pooled", *sorted(set(sources) - {data.REAL})]:
        mask = np.ones(len(labels), bool) if s == "pooled" else (sources == data.REAL) | (sources == s)
        out[s] = {"auc": metrics.roc_auc(labels[mask], probs[mask]),
                  "accuracy": metrics.accuracy(labels[mask], probs[mask], threshold),
                  "n_real": int((labels[mask] == 0).sum()), "n_fake": int((labels[mask] == 1).sum())}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights", default=str(DEFAULT_WEIGHTS))
    parser.add_argument("--data", default=os.environ.get("CHANJIAO_FACES_DIR", str(ROOT.parent / "shared" / "data" / "faces")))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--bootstrap", type=int, default=2000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    routed = Detector.from_file(args.weights, device="cpu")
    alone = Detector.from_file(args.weights, device="cpu", companions={})
    test = data.stratified_split(data.discover(args.data, seed=args.seed), seed=args.seed)["test"]
    images = [data.normalise(load_image_rgb(s.path)) for s in test]
    labels = np.array([s.label for s in test])
    sources = np.array([s.source for s in test])
    print(f"test split: {len(test)} images ({dict(Counter(sources.tolist()))}); "
          f"normalisation {data.EVAL_SIDE} px + JPEG q{data.EVAL_JPEG_QUALITY}")
    results = []
    for title, detector in [("routed (as shipped)", routed), ("main weights alone", alone)]:
        r = evaluate(detector, images, labels, sources)
        results.append(r)
        print(f"\n{title}: judged by {dict(r['judged_by'])}, threshold {r['threshold']:.4f}, "
              f"no face {r['no_face']}, uncertain {r['uncertain']}")
        for s in ["pooled", *sorted(set(sources) - {data.REAL})]:
            m = r[s]
            print(f"  real vs {s:<20} AUC {m['auc']:.3f}  accuracy {m['accuracy']:.3f}  "
                  f"(n real {m['n_real']}, n fake {m['n_fake']})", flush=True)
    print(f"\nAUC gain of the routing (routed - main alone), paired bootstrap over the test images "
          f"({args.bootstrap} resamples, each class resampled apart):")
    rng = np.random.default_rng(args.seed)
    for s in ["pooled", *sorted(set(sources) - {data.REAL})]:
        idx = np.flatnonzero((sources == data.REAL) | (sources == s)) if s != "pooled" else np.arange(len(labels))
        real_idx, fake_idx = idx[labels[idx] == 0], idx[labels[idx] == 1]
        gains = []
        for _ in range(args.bootstrap):
            b = np.concatenate([rng.choice(real_idx, len(real_idx)), rng.choice(fake_idx, len(fake_idx))])
            gains.append(metrics.roc_auc(labels[b], results[0]["probs"][b]) - metrics.roc_auc(labels[b], results[1]["probs"][b]))
        lo, hi = np.percentile(gains, [2.5, 97.5])
        print(f"  real vs {s:<20} {results[0][s]['auc'] - results[1][s]['auc']:+.3f}  95 % interval [{lo:+.3f}, {hi:+.3f}]  "
              f"gain > 0 in {np.mean(np.asarray(gains) > 0):.1%} of resamples")


if __name__ == "__main__":
    main()
