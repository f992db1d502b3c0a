"""How the shipped detector's held-out AUC moves with the normalisation applied to both classes.

Still images are scored by the model the detector routes images to (its photo model when it has one).

python -m benchmarks.deepfake_robustness [--weights FILE] [--data DIR]

The test split is the one ``train_detector`` held out (same seed). Each row applies one
resize + JPEG re-encoding identically to real and fake images, then runs the inference path.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np

from deepfake.ml import data, metrics
from deepfake.ml.detect import DEFAULT_WEIGHTS
from deepfake.ml.faces import load_image_rgb
from deepfake.ml.inference import Detector

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights", default=str(DEFAULT_WEIGHTS))
    parser.add_argument("--data", default=os.environ.get("CHANJIAO_FACES_DIR", str(ROOT.parent / "shared" / "data" / "faces")))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    detector = Detector.from_file(args.weights, device="cpu")
    test = data.stratified_split(data.discover(args.data, seed=args.seed), seed=args.seed)["test"]
    images = [load_image_rgb(s.path) for s in test]
    labels = np.array([s.label for s in test])
    sources = np.array([s.source for s in test])
    image_model = detector.for_kind("image")  # a detector with a photo model routes still images to it
    threshold = detector.threshold_for("image")
    print(f"model {detector.name} ({detector.arch}), images judged by {image_model.name} ({image_model.arch}), "
          f"threshold {threshold:.3f}, test split {len(test)} images")
    print(f"{'normalisation':<28}" + "".join(f"{s:>22}" for s in sorted(set(sources) - {'real'})))
    for side, quality in [(64, 90), (128, 95), (160, 90), (160, 75), (224, 85), (256, 95), (256, 60), (512, 90)]:
        x = np.stack([data.largest_face_input(data.normalise(img, side, quality), image_model.input_size)[0]
                      for img in images])
        probs = detector.predict(x, "image")
        row = f"short side {side:>3} px, JPEG q{quality:<3}  "
        for s in sorted(set(sources) - {"real"}):
            mask = (sources == "real") | (sources == s)
            auc = metrics.roc_auc(labels[mask], probs[mask])
            acc = metrics.accuracy(labels[mask], probs[mask], threshold)
            row += f"   AUC {auc:.3f} acc {acc:.3f}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
