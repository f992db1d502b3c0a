"""Training of both detector architectures, with evaluation, figures and a model card.

Run without Django:  python -m deepfake.ml.train --data ../shared/data/faces --out deepfake/weights/small_cnn_v2
(``manage.py train_detector`` and the site's training task call ``train_detector``.)
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import torch
from torch import nn

from . import architectures, data, metrics
from .faces import CROP_MARGIN, CROP_METHOD, INPUT_SIZE
from .spectrum import spectrum_of_input

WEIGHTS_FORMAT = "chanjiao-deepfake-detector/1"
ProgressCallback = Callable[[float, str], None]


def _noop(fraction: float, message: str) -> None:
    pass


def _source_weights(items: list[data.LoadedSample]) -> np.ndarray:
    """Half the loss weight for real faces, half shared equally by the fake sources,
    so the small StyleGAN3 folder counts as much as the big DCGAN one."""
    sources = [i.source for i in items]
    fake_sources = sorted({s for s in sources if s != data.REAL})
    counts = {s: sources.count(s) for s in set(sources)}
    w = np.array(
        [0.5 / counts[s] if s == data.REAL else 0.5 / (len(fake_sources) * counts[s]) for s in sources], dtype=np.float32
    )
    return w * len(w)


def _predict(model: nn.Module, inputs: np.ndarray, batch_size: int = 256) -> np.ndarray:
    model.eval()
    out = []
    with torch.inference_mode():
        for i in range(0, len(inputs), batch_size):
            out.append(torch.sigmoid(model(torch.from_numpy(inputs[i : i + batch_size]))).numpy())
    return np.concatenate(out) if out else np.zeros(0)


def _per_source_auc(labels: np.ndarray, sources: list[str], probs: np.ndarray) -> dict[str, float]:
    src = np.asarray(sources)
    real = src == data.REAL
    return {
        s: metrics.roc_auc(labels[real | (src == s)], probs[real | (src == s)])
        for s in sorted(set(sources) - {data.REAL})
    }


def _fit_cnn(
    train_items, val_set, *, epochs: int, input_size: int, seed: int, lr: float, batch_size: int,
    progress: ProgressCallback, progress_span: tuple[float, float], label: str, augment: str = "video",
) -> tuple[nn.Module, list[dict]]:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = architectures.build("small_cnn", input_size=input_size)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-3)
    steps_per_epoch = max(1, int(np.ceil(len(train_items) / batch_size)))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps_per_epoch, pct_start=0.15)
    weights = torch.from_numpy(_source_weights(train_items))
    labels = torch.tensor([i.label for i in train_items], dtype=torch.float32)
    loss_fn = nn.BCEWithLogitsLoss(reduction="none")
    val_x, val_y, val_src = val_set
    history, best_score, best_state = [], -1.0, None
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(train_items))
        total = 0.0
        for b in range(steps_per_epoch):
            idx = order[b * batch_size : (b + 1) * batch_size]
            x = torch.from_numpy(np.stack([data.augmented_input(train_items[i], rng, input_size, augment) for i in idx]))
            loss = (loss_fn(model(x), labels[idx]) * weights[idx]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        probs = _predict(model, val_x)
        per_source = _per_source_auc(val_y, val_src, probs)
        score = min(per_source.values())  # the weakest generator decides which epoch is kept
        history.append({"epoch": epoch + 1, "train_loss": round(total / len(train_items), 4),
                        "val_log_loss": round(metrics.log_loss(val_y, probs), 4),
                        "val_auc_min_source": round(score, 4)})
        if score >= best_score:
            best_score, best_state = score, {k: v.detach().clone() for k, v in model.state_dict().items()}
        a, b_ = progress_span
        progress(a + (b_ - a) * (epoch + 1) / epochs, f"{label}: epoch {epoch + 1}/{epochs}, val AUC (weakest source) {score:.3f}")
    model.load_state_dict(best_state)
    model.eval()
    return model, history


def _fit_spectrum(
    train_items, val_set, *, epochs: int, input_size: int, seed: int, lr: float, batch_size: int,
    progress: ProgressCallback, progress_span: tuple[float, float], label: str,
) -> tuple[nn.Module, list[dict]]:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = architectures.build("spectrum_logreg", input_size=input_size)
    views = max(1, min(epochs, 4))  # a few augmented views of every face
    feats, ys, ws = [], [], []
    base_w = _source_weights(train_items)
    with torch.inference_mode():
        for v in range(views):
            x = torch.from_numpy(np.stack([data.augmented_input(i, rng, input_size) for i in train_items]))
            feats.append(model.features(x))
            ys.append(torch.tensor([i.label for i in train_items], dtype=torch.float32))
            ws.append(torch.from_numpy(base_w))
            a, b_ = progress_span
            progress(a + (b_ - a) * 0.5 * (v + 1) / views, f"{label}: spectra of view {v + 1}/{views}")
    f, y, w = torch.cat(feats), torch.cat(ys), torch.cat(ws)
    model.feature_mean.copy_(f.mean(0))
    model.feature_std.copy_(f.std(0).clamp_min(1e-6))
    fz = (f - model.feature_mean) / model.feature_std
    opt = torch.optim.LBFGS(model.linear.parameters(), lr=1, max_iter=200, line_search_fn="strong_wolfe")
    loss_fn = nn.BCEWithLogitsLoss(reduction="none")

    def closure():
        opt.zero_grad()
        loss = (loss_fn(model.linear(fz).squeeze(1), y) * w).mean() + 1e-3 * model.linear.weight.pow(2).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    val_x, val_y, val_src = val_set
    probs = _predict(model, val_x)
    per_source = _per_source_auc(val_y, val_src, probs)
    progress(progress_span[1], f"{label}: fitted")
    return model.eval(), [{"epoch": 1, "train_loss": round(loss.item(), 4),
                           "val_log_loss": round(metrics.log_loss(val_y, probs), 4),
                           "val_auc_min_source": round(min(per_source.values()), 4)}]


FITTERS = {"small_cnn": _fit_cnn, "spectrum_logreg": _fit_spectrum}
DEFAULT_EPOCHS = {"small_cnn": 10, "spectrum_logreg": 4}
DEFAULT_LR = {"small_cnn": 3e-3, "spectrum_logreg": 1.0}


def _evaluate(model: nn.Module, threshold: float, eval_set) -> dict:
    x, y, sources = eval_set
    probs = _predict(model, x)
    src = np.asarray(sources)
    real = src == data.REAL
    out = {"pooled": metrics.binary_report(y, probs, threshold)}
    for s in sorted(set(sources) - {data.REAL}):
        mask = real | (src == s)
        out[s] = metrics.binary_report(y[mask], probs[mask], threshold)
    return out | {"_probs": probs}


def _mean_spectra(eval_set) -> dict[str, list[float]]:
    x, y, sources = eval_set
    curves = np.stack([spectrum_of_input(a)[1] for a in x])
    src = np.asarray(sources)
    out = {"real": curves[y == 0].mean(0), "fake": curves[y == 1].mean(0)}
    for s in sorted(set(sources) - {data.REAL}):
        out[s] = curves[src == s].mean(0)
    return {k: [round(float(v), 4) for v in c] for k, c in out.items()}


def _plot_roc(path: Path, eval_set, probs: np.ndarray, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _, y, sources = eval_set
    src = np.asarray(sources)
    fig, ax = plt.subplots(figsize=(4.5, 4.5), dpi=100)
    for s in sorted(set(sources) - {data.REAL}):
        mask = (src == data.REAL) | (src == s)
        fpr, tpr, _ = metrics.roc_curve(y[mask], probs[mask])
        ax.plot(fpr, tpr, label=f"real vs {s} (AUC {metrics.roc_auc(y[mask], probs[mask]):.3f})")
    ax.plot([0, 1], [0, 1], "k:", lw=0.8)
    ax.set_xlabel("false positive rate (real called fake)")
    ax.set_ylabel("true positive rate (fake caught)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _plot_cross_source(path: Path, matrix: dict[str, dict[str, float]], title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = list(matrix)
    cols = sorted({c for r in matrix.values() for c in r})
    values = np.array([[matrix[r].get(c, np.nan) for c in cols] for r in rows])
    fig, ax = plt.subplots(figsize=(1.8 + 1.6 * len(cols), 1.2 + 0.7 * len(rows)), dpi=100)
    im = ax.imshow(values, vmin=0.5, vmax=1.0, cmap="viridis")
    for i in range(len(rows)):
        for j in range(len(cols)):
            ax.text(j, i, f"{values[i, j]:.3f}", ha="center", va="center", color="w" if values[i, j] < 0.8 else "k")
    ax.set_xticks(range(len(cols)), [f"test: {c}" for c in cols], fontsize=8)
    ax.set_yticks(range(len(rows)), [f"train: {r}" for r in rows], fontsize=8)
    ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=ax, label="AUC (real vs source)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def save_weights(path: Path, model: nn.Module, *, arch: str, input_size: int, threshold: float, name: str,
                 video_threshold: float | None = None) -> None:
    torch.save(
        {
            "crop": CROP_METHOD,
            "video_threshold": float(threshold if video_threshold is None else video_threshold),
            "format": WEIGHTS_FORMAT,
            "name": name,
            "arch": arch,
            "config": {"input_size": input_size},
            "threshold": float(threshold),
            "crop_margin": CROP_MARGIN,
            "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        },
        path,
    )


def train_detector(
    data_dir: str | Path,
    out_prefix: str | Path,
    *,
    arch: str = "small_cnn",
    epochs: int | None = None,
    input_size: int = INPUT_SIZE,
    seed: int = 0,
    limit_per_source: int | None = None,
    cross_source: bool = True,
    batch_size: int = 64,
    lr: float | None = None,
    threads: int = 2,
    progress: ProgressCallback = _noop,
    command: str | None = None,
    video_calibration_clips: list[str] | None = None,
    augment: str = "video",
) -> dict:
    """Train, calibrate, evaluate and write ``<prefix>.pt``, ``.json``, ``_roc.png``,
    ``_cross_source.png`` and ``.md`` (model card). Returns the metrics dict."""
    if arch not in FITTERS:
        raise ValueError(f"unknown architecture {arch!r}; choose from {sorted(FITTERS)}")
    if augment not in data.AUGMENT_PROFILES:
        raise ValueError(f"unknown augmentation profile {augment!r}; choose from {data.AUGMENT_PROFILES}")
    torch.set_num_threads(max(1, threads))
    started = time.time()
    epochs = epochs or DEFAULT_EPOCHS[arch]
    lr = lr or DEFAULT_LR[arch]
    out_prefix = Path(out_prefix)
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    name = out_prefix.name

    samples = data.discover(data_dir, limit_per_source=limit_per_source, seed=seed)
    splits = data.stratified_split(samples, seed=seed)
    progress(0.01, f"{len(samples)} images found; locating faces")
    train_items = [data.load_for_training(s) for s in splits["train"]]
    progress(0.06, "faces aligned; simulating video round trips")
    video_round_trips = data.add_video_variants(train_items, seed=seed) if augment == "video" else {}
    val_set = data.evaluation_inputs(splits["val"], input_size)
    test_set = data.evaluation_inputs(splits["test"], input_size)
    progress(0.1, "faces located; training")

    fake_sources = sorted({s.source for s in samples} - {data.REAL})
    cross_runs = fake_sources if cross_source and len(fake_sources) > 1 else []
    main_span = (0.1, 0.9 if not cross_runs else 0.65)
    fit = FITTERS[arch] if arch != "small_cnn" else partial(FITTERS[arch], augment=augment)
    model, history = fit(train_items, val_set, epochs=epochs, input_size=input_size, seed=seed, lr=lr,
                         batch_size=batch_size, progress=progress, progress_span=main_span, label="all sources")
    val_probs = _predict(model, val_set[0])
    threshold = metrics.calibrate_threshold(val_set[1], val_probs)
    test = _evaluate(model, threshold, test_set)
    test_probs = test.pop("_probs")
    validation = _evaluate(model, threshold, val_set)
    validation.pop("_probs")

    # Cross-source: train on real + one generator, test on every generator.
    cross: dict[str, dict[str, float]] = {"all": {s: test[s]["auc"] for s in fake_sources}}
    for k, source in enumerate(cross_runs):
        span = (main_span[1] + (0.9 - main_span[1]) * k / len(cross_runs),
                main_span[1] + (0.9 - main_span[1]) * (k + 1) / len(cross_runs))
        subset = [i for i in train_items if i.source in (data.REAL, source)]
        val_mask = [s in (data.REAL, source) for s in val_set[2]]
        sub_val = (val_set[0][val_mask], val_set[1][val_mask], [s for s, m in zip(val_set[2], val_mask, strict=False) if m])
        sub_model, _ = fit(subset, sub_val, epochs=max(1, epochs // 2), input_size=input_size, seed=seed, lr=lr,
                           batch_size=batch_size, progress=progress, progress_span=span, label=f"only {source}")
        probs = _predict(sub_model, test_set[0])
        cross[source] = {s: round(v, 4) for s, v in _per_source_auc(test_set[1], test_set[2], probs).items()}

    video_calibration = None
    if video_calibration_clips:
        from .video_eval import calibrate_video_threshold

        progress(0.9, f"calibrating the video threshold on {len(video_calibration_clips)} real clips")
        video_calibration = calibrate_video_threshold(model, arch=arch, input_size=input_size, threshold=threshold,
                                                      real_clips=video_calibration_clips)
    progress(0.92, "writing weights, figures and model card")
    weights_path = out_prefix.with_suffix(".pt")
    save_weights(weights_path, model, arch=arch, input_size=input_size, threshold=threshold, name=name,
                 video_threshold=video_calibration["threshold"] if video_calibration else None)
    roc_path = out_prefix.parent / f"{name}_roc.png"
    cross_path = out_prefix.parent / f"{name}_cross_source.png"
    _plot_roc(roc_path, test_set, test_probs, f"{name} ({arch}) on the held-out test split")
    _plot_cross_source(cross_path, cross, f"{arch}: train on one generator, test on each")

    result = {
        "name": name,
        "arch": arch,
        "input_size": input_size,
        "crop_margin": CROP_MARGIN,
        "threshold": round(threshold, 4),
        "seed": seed,
        "epochs": epochs,
        "learning_rate": lr,
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "data_dir": str(data_dir),
        "data_summary": data.data_summary(samples),
        "splits": {k: dict(sorted({s: sum(1 for x in v if x.source == s) for s in {x.source for x in v}}.items()))
                   for k, v in splits.items()},
        "evaluation_normalisation": f"short side {data.EVAL_SIDE} px + JPEG quality {data.EVAL_JPEG_QUALITY}, "
                                    "identical for every class, then YuNet detection and landmark-aligned crop (whole image if none)",
        "augment_profile": augment,
        "training_augmentation": (
            ("video round trip through OpenCV's VideoWriter (faces of "
             f"{'/'.join(map(str, data.VIDEO_FRAME_SIDES))} px) p=0.6, " if augment == "video" else
             "photo profile (no video round trip), ")
            + "rotation ±8°, scale ±8 %, shift ±4 %, "
            + ("downscale to 20-64 px p=0.4" if augment == "video" else "downscale to 40-64 px p=0.2")
            + ", blur p=0.3, saturation/contrast/brightness/white balance p=0.5, Gaussian noise p=0.3, "
              "JPEG q 30-95 p=0.7, horizontal flip p=0.5; same for every class"),
        "video_round_trips": video_round_trips,
        "video_calibration": video_calibration,
        "video_threshold": round(video_calibration["threshold"], 4) if video_calibration else round(threshold, 4),
        "faces_found_in_training": f"{sum(not i.whole_image for i in train_items)}/{len(train_items)}",
        "test": test,
        "validation": validation,
        "cross_source_auc": cross,
        "mean_spectra": _mean_spectra(test_set),
        "history": history,
        "train_seconds": round(time.time() - started, 1),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "command": command or "python -m deepfake.ml.train " + " ".join(sys.argv[1:]),
        "files": {"weights": weights_path.name, "roc_curve": roc_path.name, "cross_source": cross_path.name},
    }
    out_prefix.with_suffix(".json").write_text(json.dumps(result, indent=1))
    out_prefix.with_suffix(".md").write_text(model_card(result))
    progress(1.0, "done")
    return result


def model_card(result: dict) -> str:
    lines = [
        f"# Model card: {result['name']}",
        "",
        f"- architecture: `{result['arch']}` ({result['parameters']:,} parameters), input {result['input_size']}x{result['input_size']} RGB face crop, margin {result['crop_margin']}",
        f"- decision threshold (calibrated on validation, max balanced accuracy): {result['threshold']}",
        f"- trained in {result['train_seconds']} s, torch {result['torch']}, seed {result['seed']}, {result['epochs']} epochs",
        "",
        "## Exact command",
        "",
        f"```\n{result['command']}\n```",
        "",
        "## Data",
        "",
        f"Directory `{result['data_dir']}` (ImageFolder layout: `real/`, `fake*/`).",
        "",
        "| source | images | sizes (sampled) | formats | train | val | test |",
        "|---|---|---|---|---|---|---|",
    ]
    for source, info in result["data_summary"].items():
        split = [result["splits"][k].get(source, 0) for k in ("train", "val", "test")]
        lines.append(f"| {source} | {info['count']} | {', '.join(info['sizes'])} | {', '.join(info['formats'])} | {split[0]} | {split[1]} | {split[2]} |")
    lines += [
        "",
        f"Evaluation normalisation: {result['evaluation_normalisation']}.",
        f"Training augmentation: {result['training_augmentation']}.",
        f"Faces found by YuNet in the training images: {result['faces_found_in_training']}.",
        f"Video threshold: {result.get('video_threshold')} ({(result.get('video_calibration') or {}).get('rule', 'the image threshold; no video calibration')}).",
        "",
        "## Held-out test split",
        "",
        "| real vs | accuracy | balanced acc. | AUC | log loss | n real | n fake |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, m in result["test"].items():
        lines.append(f"| {key} | {m['accuracy']} | {m['balanced_accuracy']} | {m['auc']} | {m['log_loss']} | {m['n_real']} | {m['n_fake']} |")
    lines += ["", "## Cross-source AUC (train on one generator, test on each)", "", "| trained on | " + " | ".join(f"test {s}" for s in next(iter(result["cross_source_auc"].values()))) + " |",
              "|---" * (1 + len(next(iter(result["cross_source_auc"].values())))) + "|"]
    for row, vals in result["cross_source_auc"].items():
        lines.append(f"| {row} | " + " | ".join(f"{v:.3f}" for v in vals.values()) + " |")
    lines += [
        "",
        f"Figures: `{result['files']['roc_curve']}`, `{result['files']['cross_source']}`.",
        "",
        "## Limits",
        "",
        "Small teaching model. Trained on a few hundred faces from three sources; it has not seen other",
        "generators (diffusion models, face swaps) and frequency cues transfer badly across sources.",
        "The training images carry no licence; the StyleGAN3 generator is non-commercial. Teaching use only.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True, help="output prefix, e.g. deepfake/weights/small_cnn_v2")
    parser.add_argument("--arch", default="small_cnn", choices=sorted(FITTERS))
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit-per-source", type=int)
    parser.add_argument("--no-cross-source", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--augment", default="video", choices=data.AUGMENT_PROFILES,
                        help="video: the shipped profile (video round trips, tiny faces); photo: for still images")
    parser.add_argument("--video-calibration", nargs="*", default=[],
                        help="real video clips whose frames calibrate the video threshold")
    args = parser.parse_args(argv)
    result = train_detector(
        args.data, args.out, arch=args.arch, epochs=args.epochs, seed=args.seed, limit_per_source=args.limit_per_source,
        cross_source=not args.no_cross_source, threads=args.threads, video_calibration_clips=args.video_calibration, augment=args.augment,
        progress=lambda f, m: print(f"[{f:5.1%}] {m}", flush=True),
    )
    print(json.dumps({k: result[k] for k in ("test", "cross_source_auc", "threshold", "train_seconds")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
