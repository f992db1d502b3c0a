"""The shipped CNN on the held-out split of the shared faces, with both classes
normalised identically (same resize, same JPEG re-encoding), and a quick retrain."""

from __future__ import annotations

import json

import numpy as np

from deepfake.ml import data, metrics
from deepfake.ml.detect import DEFAULT_WEIGHTS
from deepfake.ml.faces import load_image_rgb
from deepfake.ml.inference import Detector
from deepfake.ml.train import train_detector


def test_shipped_cnn_auc_per_generator(faces):
    """Still images go to the shipped detector's photo model (docs/deepfake.md, "Per-kind models"):
    held-out AUC 0.97 (DCGAN) and 0.85 (StyleGAN3) at the evaluation normalisation, where v2 alone,
    trading image accuracy for video robustness, had 0.87 and 0.79. The floor is above v2's
    StyleGAN3 figure and below the photo model's, so that a re-encoding of the test images does not
    fail it by chance but images scored by v2 again would."""
    card = json.loads(DEFAULT_WEIGHTS.with_suffix(".json").read_text())
    detector = Detector.from_file(DEFAULT_WEIGHTS, device="cpu")
    assert detector.for_kind("image").name == "small_cnn_photo_v1"
    # The same seed as the shipped training run: its test split was never trained on.
    test = data.stratified_split(data.discover(faces, seed=card["seed"]), seed=card["seed"])["test"]
    labels = np.array([s.label for s in test])
    sources = np.array([s.source for s in test])
    seen = {}
    for side, quality in [(160, 90), (256, 75)]:
        x = np.stack([data.largest_face_input(data.normalise(load_image_rgb(s.path), side, quality))[0] for s in test])
        probs = detector.predict(x, "image")
        for source in sorted(set(sources) - {"real"}):
            mask = (sources == "real") | (sources == source)
            seen[(side, quality, source)] = metrics.roc_auc(labels[mask], probs[mask])
    print("held-out AUC (short side px, JPEG quality, generator):",
          {f"{s}px q{q} {src}": round(v, 4) for (s, q, src), v in seen.items()})
    assert all(v >= 0.80 for v in seen.values()), seen


def test_retraining_on_a_subset_gives_metrics_in_range(faces, tmp_path):
    # 140 training faces per source, ten short epochs (about 30 s on two CPU cores): far from the
    # shipped model's figures, but clearly better than chance. Smaller runs are a coin toss: at 84
    # faces and 5 epochs the per-generator AUC of seeds 0, 1, 2 ranged 0.49–0.87 (and seed 0 fell
    # from above 0.6 to 0.55 on a fresh install); at this size it was 0.76–0.91 for each seed.
    result = train_detector(faces, tmp_path / "quick", epochs=10, limit_per_source=200, cross_source=False,
                            batch_size=16)
    for source in ("fake_dcgan_celeba", "fake_stylegan3"):
        m = result["test"][source]
        assert 0.0 <= m["accuracy"] <= 1.0 and m["log_loss"] > 0
        assert 0.6 < m["auc"] <= 1.0, (source, m)
    assert result["test"]["pooled"]["auc"] > 0.65
    assert 0 < result["threshold"] < 1
    assert (tmp_path / "quick.pt").stat().st_size < 5 * 1024 * 1024
    assert (tmp_path / "quick_roc.png").exists() and (tmp_path / "quick.md").read_text().startswith("# Model card")
    print("quick retrain test AUC:", {s: result["test"][s]["auc"] for s in result["test"]})
