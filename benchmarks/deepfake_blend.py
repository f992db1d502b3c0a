"""Experiment: a small CNN trained on real faces vs self-blended images (SBI, ``deepfake/ml/blend.py``),
evaluated on the labelled clips exactly as the shipped detector is (``benchmarks/deepfake_video.py``).
Prints figures; asserts nothing.

Train (optional; real photos of the faces' *train* split only, never a clip):
    nice -n 19 python -m benchmarks.deepfake_blend --train --out /tmp/blend/sbi --minutes 50
Evaluate a weights file:
    nice -n 19 python -m benchmarks.deepfake_blend --weights /tmp/blend/sbi_best.pt [--baseline]

Evaluation: (1) the 29 clips of ``../shared/data/videos``: 32 evenly spaced frames, YuNet, aligned
crops, frame score = most suspicious face, clip score = mean of frame scores (``analyse_path``);
clip AUC over all clips and over the face swaps (DFDC, Deepfakes, FaceSwap, GHOST, roop) vs the real
clips; real clips judged with the threshold calibrated on the *other* fold of real clips, fakes with
the one calibrated on all real clips, "uncertain" counted apart (``inference.uncertainty``), all as in
``deepfake_video.py``. (2) Sanity: held-out real photos (test split) vs their self-blended versions,
through the inference path (normalise, detect, crop). (3) The GAN-face test split (real vs DCGAN,
real vs StyleGAN3), as the shipped model's test figures are measured.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SWAP_PREFIXES = ("fake/dfdc_", "fake/ffpp_Deepfakes", "fake/ffpp_FaceSwap", "fake/ghost_swap", "fake/roop_")
SBI = "sbi"


# ---------------------------------------------------------------- data

def _real_splits(faces_dir: str, seed: int = 0) -> dict:
    """The real photos' train / val / test split, exactly as ``train.py`` splits the faces (seed 0)."""
    from deepfake.ml import data

    splits = data.stratified_split(data.discover(faces_dir, seed=seed), seed=seed)
    return {k: [s for s in v if s.source == data.REAL] for k, v in splits.items()}


def _blended_raw(path: str, rng: np.random.Generator, count: int):
    """(normalised real image, its face box, [normalised self-blended images]); the blend is made on
    the decoded file (landmarks found on the normalised image, scaled back), then normalised like any
    image, so the last step for both classes is the same JPEG re-encoding."""
    from deepfake.ml import blend, data, faces

    raw = faces.load_image_rgb(path)
    norm = data.normalise(raw)
    boxes = faces.detect_faces(norm)
    if not boxes:
        return norm, None, []
    box = boxes[0]
    sx, sy = raw.shape[1] / norm.shape[1], raw.shape[0] / norm.shape[0]
    marks = [(x * sx, y * sy) for x, y in box.landmarks]
    return norm, box, [data.normalise(blend.self_blend(raw, marks, rng)[0]) for _ in range(count)]


def build_training_items(samples, *, blends_per_face: int, seed: int):
    """LoadedSample crops: each real face once (label 0) and ``blends_per_face`` self-blends of it
    (label 1), all cropped with the real face's box (the framing of the inference path)."""
    from deepfake.ml import data, faces

    reals, fakes = [], []
    for n, s in enumerate(samples):
        rng = np.random.default_rng([seed, n])
        norm, box, blended = _blended_raw(s.path, rng, blends_per_face)
        if box is None:
            continue
        reals.append(data.LoadedSample(faces.crop_face(norm, box), False, 0, data.REAL))
        fakes.append([data.LoadedSample(faces.crop_face(b, box), False, 1, SBI) for b in blended])
    return reals, fakes


def sbi_eval_inputs(samples, *, seed: int):
    """Held-out real photos and one self-blend of each, through the inference path."""
    from deepfake.ml import data

    xs, ys = [], []
    for n, s in enumerate(samples):
        norm, box, blended = _blended_raw(s.path, np.random.default_rng([seed, 10_000 + n]), 1)
        if box is None:
            continue
        for img, label in ((norm, 0), (blended[0], 1)):
            xs.append(data.largest_face_input(img)[0])
            ys.append(label)
    return np.stack(xs), np.asarray(ys)


def degraded_inputs(items, *, seed: int, profile: str) -> np.ndarray:
    from deepfake.ml import data

    rng = np.random.default_rng(seed)
    return np.stack([data.augmented_input(i, rng, profile=profile) for i in items])


# ---------------------------------------------------------------- training

def save(path: Path, model, *, threshold: float, name: str, width: int, extra: dict | None = None) -> None:
    """The lab's weights format (``train.save_weights``), loadable by ``Detector.from_file``."""
    import torch

    from deepfake.ml.faces import CROP_MARGIN, CROP_METHOD
    from deepfake.ml.train import WEIGHTS_FORMAT

    config = {"input_size": 64} if width == 16 else {"input_size": 64, "width": width}
    torch.save({"crop": CROP_METHOD, "video_threshold": float(threshold), "format": WEIGHTS_FORMAT, "name": name,
                "arch": "small_cnn", "config": config, "threshold": float(threshold), "crop_margin": CROP_MARGIN,
                "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()}, **(extra or {})}, path)


def train(args) -> Path:
    import torch
    from torch import nn

    from deepfake.ml import architectures, data, metrics
    from deepfake.ml.train import _predict

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    splits = _real_splits(args.faces)
    reals, fakes = build_training_items(splits["train"], blends_per_face=args.blends_per_face, seed=args.seed)
    val_reals, val_fakes = build_training_items(splits["val"], blends_per_face=1, seed=args.seed + 1)
    pool = reals + [f for group in fakes for f in group]
    video = data.add_video_variants(pool, seed=args.seed) if args.video_round_trips else {}
    val_pool = val_reals + [g[0] for g in val_fakes]
    data.add_video_variants(val_pool, seed=args.seed + 1)
    val_clean_x, val_clean_y = sbi_eval_inputs(splits["val"], seed=args.seed)
    val_deg_x = degraded_inputs(val_pool, seed=args.seed, profile=args.augment)
    val_deg_y = np.asarray([i.label for i in val_pool])
    prep_s = time.perf_counter() - t0
    print(f"prepared {len(reals)} real train faces x {args.blends_per_face} blends, {len(val_reals)} val faces, "
          f"video round trips {video}, in {prep_s:.0f} s", flush=True)

    model = architectures.build("small_cnn", input_size=64, width=args.width)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    rng = np.random.default_rng(args.seed)
    budget = args.minutes * 60.0
    half = args.batch_size // 2
    history, best, epoch, t_train = [], -1.0, 0, time.perf_counter()
    while time.perf_counter() - t_train < budget and epoch < args.max_epochs:
        epoch += 1
        model.train()
        order = rng.permutation(len(reals))
        total, n_seen = 0.0, 0
        for b in range(math.ceil(len(order) / half)):
            frac = (time.perf_counter() - t_train) / budget
            if frac >= 1:
                break
            # Time-based schedule: 3 % linear warm-up, then cosine to zero at the budget's end.
            lr = args.lr * (frac / 0.03 if frac < 0.03 else 0.5 * (1 + math.cos(math.pi * (frac - 0.03) / 0.97)))
            for g in opt.param_groups:
                g["lr"] = lr
            idx = order[b * half : (b + 1) * half]
            # Paired batches: each real face with one of its own self-blends.
            batch = [reals[i] for i in idx] + [fakes[i][int(rng.integers(len(fakes[i])))] for i in idx]
            x = torch.from_numpy(np.stack([data.augmented_input(it, rng, profile=args.augment) for it in batch]))
            y = torch.tensor([it.label for it in batch], dtype=torch.float32)
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(batch)
            n_seen += len(batch)
        p_clean = _predict(model, val_clean_x)
        p_deg = _predict(model, val_deg_x)
        row = {"epoch": epoch, "minutes": round((time.perf_counter() - t_train) / 60, 2), "lr": round(lr, 6),
               "train_loss": round(total / max(1, n_seen), 4),
               "val_auc_clean": round(metrics.roc_auc(val_clean_y, p_clean), 4),
               "val_auc_degraded": round(metrics.roc_auc(val_deg_y, p_deg), 4)}
        history.append(row)
        print(json.dumps(row), flush=True)
        threshold = metrics.calibrate_threshold(val_clean_y, p_clean)
        extra = {"experiment": "self-blended images (benchmarks/deepfake_blend.py)", "epoch": epoch}
        save(out.with_name(out.name + "_last.pt"), model, threshold=threshold, name="sbi-small-cnn", width=args.width,
             extra=extra)
        # The epoch kept: best AUC on held-out real vs self-blended faces after video-like degradation
        # (never a clip of the evaluation set).
        if row["val_auc_degraded"] >= best:
            best = row["val_auc_degraded"]
            save(out.with_name(out.name + "_best.pt"), model, threshold=threshold, name="sbi-small-cnn",
                 width=args.width, extra=extra)
    summary = {"args": vars(args), "prep_seconds": round(prep_s), "train_seconds": round(time.perf_counter() - t_train),
               "train_faces": len(reals), "val_faces": len(val_reals), "video_round_trips": video,
               "best_val_auc_degraded": best, "history": history, "torch": torch.__version__}
    out.with_name(out.name + "_history.json").write_text(json.dumps(summary, indent=1))
    print(f"trained {epoch} epochs in {summary['train_seconds']} s; best degraded val AUC {best:.4f}", flush=True)
    return out.with_name(out.name + "_best.pt")


# ---------------------------------------------------------------- evaluation

def video_figures(weights: str, videos: str, frames: int) -> dict:
    """Everything ``deepfake_video.py`` measures, plus the swap-only AUC and a frame-level AUC."""
    from benchmarks.deepfake_video import analyse_labelled_clips, clip_verdict
    from deepfake.ml.inference import Detector
    from deepfake.ml.metrics import roc_auc

    detector = Detector.from_file(weights, device="cpu")
    rows, results, thresholds, all_real, elapsed = analyse_labelled_clips(videos, detector, frames,
                                                                          detector.threshold)
    table, counts = [], {"real": {"real": 0, "fake": 0, "uncertain": 0, "no_face": 0},
                         "fake": {"real": 0, "fake": 0, "uncertain": 0, "no_face": 0}}
    for name, r in results.items():
        threshold = thresholds.get(name, all_real)
        score = r["score"]
        verdict = clip_verdict(r, threshold)
        counts[r["label"]][verdict] += 1
        table.append({"clip": name, "label": r["label"], "manipulation": r["manipulation"],
                      "swap": name.startswith(SWAP_PREFIXES), "faces": f"{len(r['frame_scores'])}/{r['frames']}",
                      "score": score, "threshold": threshold, "verdict": verdict,
                      "frame_scores": [round(s, 4) for s in r["frame_scores"]]})
    scored = [r for r in table if r["score"] is not None]
    real = [r for r in scored if r["label"] == "real"]
    swaps = [r for r in scored if r["swap"]]

    def auc(items):
        return roc_auc(np.asarray([r["label"] == "fake" for r in items]), np.asarray([r["score"] for r in items]))

    def frame_auc(items):
        labels = [r["label"] == "fake" for r in items for _ in r["frame_scores"]]
        return roc_auc(np.asarray(labels), np.asarray([s for r in items for s in r["frame_scores"]]))

    return {"model": detector.name, "image_threshold": detector.threshold, "video_threshold_all_real": all_real,
            "seconds": round(elapsed), "clip_auc_all": auc(scored), "clip_auc_swaps": auc(real + swaps),
            "frame_auc_all": frame_auc(scored), "frame_auc_swaps": frame_auc(real + swaps),
            "n_real": len(real), "n_fake": len(scored) - len(real), "n_swaps": len(swaps), "counts": counts,
            "table": table}


def print_video(fig: dict) -> None:
    print(f"\n## video: model {fig['model']}, image threshold {fig['image_threshold']:.3f}, video threshold from all "
          f"real clips {fig['video_threshold_all_real']:.3f}; {fig['n_real'] + fig['n_fake']} clips in {fig['seconds']} s")
    print("| clip | label | manipulation | frames with a face | clip score | threshold | verdict |")
    print("|---|---|---|---|---|---|---|")
    for r in fig["table"]:
        score = "—" if r["score"] is None else f"{r['score']:.3f}"
        print(f"| {r['clip'].split('/')[-1].rsplit('.', 1)[0]} | {r['label']} | {r['manipulation'][:40]} | {r['faces']} | "
              f"{score} | {r['threshold']:.3f} | {r['verdict']} |")
    c = fig["counts"]
    print(f"clip AUC all {fig['clip_auc_all']:.3f} ({fig['n_real']} real, {fig['n_fake']} fake); "
          f"face swaps only {fig['clip_auc_swaps']:.3f} ({fig['n_swaps']} swaps vs {fig['n_real']} real)")
    print(f"frame AUC all {fig['frame_auc_all']:.3f}; face swaps only {fig['frame_auc_swaps']:.3f}")
    print(f"real clips: {c['real']['fake']}/{fig['n_real']} called fake, {c['real']['uncertain']} uncertain, "
          f"{c['real']['real']} real")
    print(f"fake clips: {c['fake']['fake']}/{fig['n_fake']} called fake, {c['fake']['uncertain']} uncertain, "
          f"{c['fake']['real']} called real")


def clip_inputs(videos: str, frames: int, cache: str) -> dict:
    """The model inputs of every clip's faces, per frame (the inference path's crops; model-independent
    for the lab's 64 px, margin-0.25 models), cached in ``cache`` (.npz) so many models can be scored."""
    from deepfake.ml.inference import Detector, analyse_path
    from deepfake.ml.video_eval import labelled_clips

    if Path(cache).exists():
        z = np.load(cache, allow_pickle=False)
        meta = json.loads(str(z["meta"]))
        return {m["file"]: {**m, "inputs": z[f"x{i}"]} for i, m in enumerate(meta)}
    import torch

    dummy = Detector(torch.nn.Identity(), name="crops", arch="none", input_size=64, threshold=0.5, device="cpu")
    dummy.predict = lambda x, *_, **__: np.zeros(len(x), dtype=np.float32)
    out, arrays, meta = {}, {}, []
    for i, row in enumerate(labelled_clips(videos)):
        analysis = analyse_path(row["path"], dummy, frame_count=frames, whole_image_fallback=False, keep_inputs=True)
        frame_of = [n for n, f in enumerate(analysis.frames) for _ in f["faces"]]
        inputs = np.stack([face["input"] for f in analysis.frames for face in f["faces"]])
        m = {"file": row["file"], "label": row["label"], "frame_of": frame_of}
        meta.append(m)
        arrays[f"x{i}"] = inputs
        out[row["file"]] = {**m, "inputs": inputs}
    np.savez_compressed(cache, meta=json.dumps(meta), **arrays)
    return out


def _clip_scores(model, clips: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(is fake, is swap or real, clip score): frame = most suspicious face, clip = mean of frames."""
    import torch

    model.eval()
    labels, swap_or_real, scores = [], [], []
    with torch.inference_mode():
        for name, c in clips.items():
            p = torch.sigmoid(model(torch.from_numpy(c["inputs"]))).numpy()
            per_frame = {}
            for f, v in zip(c["frame_of"], p, strict=True):
                per_frame[f] = max(per_frame.get(f, 0.0), float(v))
            labels.append(c["label"] == "fake")
            swap_or_real.append(c["label"] == "real" or name.startswith(SWAP_PREFIXES))
            scores.append(float(np.mean(list(per_frame.values()))))
    return np.asarray(labels), np.asarray(swap_or_real), np.asarray(scores)


def null_figures(weights: str, videos: str, frames: int, cache: str, n_null: int, n_boot: int = 2000) -> dict:
    """How far the clip AUCs are from what no learning gives: the same AUCs for ``n_null`` randomly
    initialised small CNNs (same architecture, never trained), and a bootstrap (clips resampled within
    each class) interval for the trained model."""
    import torch

    from deepfake.ml import architectures
    from deepfake.ml.inference import Detector
    from deepfake.ml.metrics import roc_auc

    clips = clip_inputs(videos, frames, cache)
    y, keep, s = _clip_scores(Detector.from_file(weights, device="cpu").model, clips)
    rng = np.random.default_rng(0)
    boot = {"all": [], "swaps": []}
    for _ in range(n_boot):
        for key, mask in (("all", np.ones_like(keep)), ("swaps", keep)):
            pos, neg = np.where(mask & y)[0], np.where(mask & ~y)[0]
            idx = np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))]
            boot[key].append(roc_auc(y[idx], s[idx]))
    null_file = Path(f"{cache}.null{n_null}.json")  # the untrained networks do not depend on the model
    if null_file.exists():
        null = json.loads(null_file.read_text())
    else:
        null = {"all": [], "swaps": []}
        for seed in range(n_null):
            torch.manual_seed(seed)
            _, _, ns = _clip_scores(architectures.build("small_cnn", input_size=64), clips)
            null["all"].append(roc_auc(y, ns))
            null["swaps"].append(roc_auc(y[keep], ns[keep]))
        null_file.write_text(json.dumps(null))
    out = {"clip_auc_all_cached": roc_auc(y, s), "clip_auc_swaps_cached": roc_auc(y[keep], s[keep])}
    for key in ("all", "swaps"):
        out[f"bootstrap95_{key}"] = [float(np.quantile(boot[key], 0.025)), float(np.quantile(boot[key], 0.975))]
        out[f"null_mean_{key}"] = float(np.mean(null[key]))
        out[f"null_q95_{key}"] = float(np.quantile(null[key], 0.95))
        out[f"null_share_at_least_model_{key}"] = float(np.mean(np.asarray(null[key]) >= out[f"clip_auc_{key}_cached"]))
    out["null_models"] = n_null
    return out


def image_figures(weights: str, faces_dir: str, seed: int = 0) -> dict:
    from deepfake.ml import data
    from deepfake.ml.inference import Detector
    from deepfake.ml.metrics import roc_auc

    detector = Detector.from_file(weights, device="cpu")
    splits = data.stratified_split(data.discover(faces_dir, seed=seed), seed=seed)
    real_test = [s for s in splits["test"] if s.source == data.REAL]
    x, y = sbi_eval_inputs(real_test, seed=seed + 7)
    p = detector.predict(x)
    out = {"sbi_test_auc": roc_auc(y, p), "sbi_test_faces": int((y == 0).sum()),
           "sbi_test_accuracy": float(np.mean((p >= detector.threshold) == y))}
    gx, gy, gsrc = data.evaluation_inputs(splits["test"])
    gp = detector.predict(gx)
    src = np.asarray(gsrc)
    out["gan_test_auc_pooled"] = roc_auc(gy, gp)
    for s in sorted(set(gsrc) - {data.REAL}):
        keep = (src == data.REAL) | (src == s)
        out[f"gan_test_auc_{s}"] = roc_auc(gy[keep], gp[keep])
        out[f"gan_test_n_{s}"] = int((src == s).sum())
    out["gan_test_n_real"] = int((src == data.REAL).sum())
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="store_true", help="train first (the weights evaluated are the best epoch)")
    parser.add_argument("--out", default="/tmp/blend/sbi", help="prefix of the files training writes")
    parser.add_argument("--weights", help="evaluate this weights file (default with --train: the trained one)")
    parser.add_argument("--faces", default=os.environ.get("CHANJIAO_FACES_DIR") or str(SHARED / "faces"))
    parser.add_argument("--videos", default=os.environ.get("CHANJIAO_VIDEOS_DIR") or str(SHARED / "videos"))
    parser.add_argument("--frames", type=int, default=32)
    parser.add_argument("--minutes", type=float, default=50.0, help="training wall-time budget")
    parser.add_argument("--max-epochs", type=int, default=1000)
    parser.add_argument("--blends-per-face", type=int, default=6)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--augment", choices=("video", "photo"), default="photo")
    parser.add_argument("--no-video-round-trips", dest="video_round_trips", action="store_false")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline", action="store_true", help="also evaluate the shipped weights on the clips")
    parser.add_argument("--skip-video", action="store_true")
    parser.add_argument("--skip-images", action="store_true")
    parser.add_argument("--null", type=int, default=0, help="also score this many untrained random CNNs on the clips")
    parser.add_argument("--cache", default="/tmp/blend/clip_inputs.npz", help="clip face inputs (for --null)")
    parser.add_argument("--json", help="write every figure here")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    weights = args.weights
    if args.train:
        best = train(args)
        weights = weights or str(best)
    if not weights:
        parser.error("give --weights FILE or --train")
    figures: dict = {"weights": weights, "weights_bytes": Path(weights).stat().st_size}
    if not args.skip_images:
        figures["images"] = image_figures(weights, args.faces)
        print("\n## held-out faces")
        for k, v in figures["images"].items():
            print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}")
    if not args.skip_video:
        figures["video"] = video_figures(weights, args.videos, args.frames)
        print_video(figures["video"])
        if args.baseline:
            from deepfake.ml.detect import DEFAULT_WEIGHTS

            figures["baseline_video"] = video_figures(str(DEFAULT_WEIGHTS), args.videos, args.frames)
            print_video(figures["baseline_video"])
    if args.null:
        figures["null"] = null_figures(weights, args.videos, args.frames, args.cache, args.null)
        print("\n## against untrained networks and resampled clips")
        for k, v in figures["null"].items():
            print(f"{k}: {v}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, default=float))


if __name__ == "__main__":
    main()
