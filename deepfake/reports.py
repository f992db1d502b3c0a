"""Pictures of a detection report, drawn in the worker (never in a request):
the per-frame score timeline, annotated key frames and the spectrum view."""

from __future__ import annotations

import io

import cv2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .ml.spectrum import spectrum_of_input  # noqa: E402


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def timeline_png(frames: list[dict], *, threshold: float, kind: str, score: float | None) -> bytes:
    """Score of each sampled frame over time, with the decision threshold."""
    fig, ax = plt.subplots(figsize=(7, 2.6), dpi=100)
    xs = [f["time_s"] for f in frames]
    ys = [f["score"] if f["score"] is not None else np.nan for f in frames]
    if kind == "image":
        ax.bar([0], [ys[0] if ys else 0], width=0.4, color="tab:red" if ys and ys[0] >= threshold else "tab:blue")
        ax.set_xticks([])
    else:
        ax.plot(xs, ys, "o-", ms=3, lw=1)
        missing = [x for x, y in zip(xs, ys, strict=False) if np.isnan(y)]
        ax.plot(missing, [0.02] * len(missing), "x", color="grey", label="no face")
        ax.set_xlabel("time (s)")
    ax.axhline(threshold, color="k", ls="--", lw=0.8, label=f"threshold {threshold:.2f}")
    if score is not None:
        ax.axhline(score, color="tab:red", lw=0.8, alpha=0.6, label=f"aggregate {score:.2f}")
    ax.set_ylim(0, 1)
    ax.set_ylabel("P(fake)")
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    return _png(fig)


def annotated_frame_jpeg(rgb: np.ndarray, faces: list[dict], *, threshold: float, max_side: int = 640) -> bytes:
    """The frame with each face's box and score (red: above the threshold)."""
    h, w = rgb.shape[:2]
    scale = min(1.0, max_side / max(h, w))
    img = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else rgb.copy()
    bgr = cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
    for face in faces:
        b = face["box"]
        x, y, bw, bh = (int(round(v * scale)) for v in (b["x"], b["y"], b["w"], b["h"]))
        color = (40, 40, 220) if face["score"] >= threshold else (200, 120, 30)
        cv2.rectangle(bgr, (x, y), (x + bw, y + bh), color, 2)
        label = f"{face['score']:.2f}"
        cv2.putText(bgr, label, (x, max(12, y - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.5, color, 1, cv2.LINE_AA)
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return buf.tobytes()


def spectrum_png(face_input: np.ndarray | None, mean_spectra: dict) -> bytes:
    """The face the model scored, its log-magnitude spectrum, and its azimuthal average
    beside the model's mean real and mean fake curves (from its held-out test split)."""
    fig, axes = plt.subplots(1, 3, figsize=(9, 2.8), dpi=100, gridspec_kw={"width_ratios": [1, 1, 1.6]})
    if face_input is not None:
        spec, curve = spectrum_of_input(face_input)
        axes[0].imshow(((face_input.transpose(1, 2, 0) + 1) * 127.5).clip(0, 255).astype(np.uint8))
        axes[1].imshow(spec, cmap="magma")
        axes[2].plot(curve, label="this face", color="k", lw=1.5)
    axes[0].set_title("face (model input)", fontsize=8)
    axes[1].set_title("log |FFT|", fontsize=8)
    for ax in axes[:2]:
        ax.axis("off")
    if mean_spectra.get("real"):
        axes[2].plot(mean_spectra["real"], label="mean real", color="tab:blue", lw=1)
    if mean_spectra.get("fake"):
        axes[2].plot(mean_spectra["fake"], label="mean fake", color="tab:red", lw=1)
    axes[2].set_xlabel("spatial frequency (ring radius)")
    axes[2].set_ylabel("mean log magnitude")
    axes[2].set_title("azimuthal average", fontsize=8)
    axes[2].legend(fontsize=7)
    fig.tight_layout()
    return _png(fig)
