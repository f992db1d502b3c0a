"""Running a trained detector: loading, frame sampling, batched classification, aggregation.

``analyse_path`` is the whole pipeline for one file and is what the Celery task,
``manage.py detect`` and the benchmarks call.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import torch

from . import architectures
from .faces import CROP_MARGIN, FaceBox, crop_face, detect_faces, load_image_rgb, preprocess_face, whole_image_box

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
VIDEO_EXTENSIONS = {".mp4", ".webm", ".mov", ".avi", ".mkv"}
AGGREGATIONS = ("mean", "confident")


def select_device(prefer: str | None = None) -> torch.device:
    if prefer:
        return torch.device(prefer)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Detector:
    """A loaded detector model on a device; ``predict`` takes preprocessed faces."""

    def __init__(self, model: torch.nn.Module, *, name: str, arch: str, input_size: int, threshold: float,
                 crop_margin: float = CROP_MARGIN, device: torch.device | None = None, batch_size: int = 64):
        self.device = device or select_device()
        self.model = model.to(self.device).eval()
        self.name, self.arch, self.input_size = name, arch, input_size
        self.threshold, self.crop_margin, self.batch_size = threshold, crop_margin, batch_size

    @classmethod
    def from_file(cls, path: str | Path, *, device: str | torch.device | None = None, batch_size: int = 64) -> Detector:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        model = architectures.build(checkpoint["arch"], **checkpoint["config"])
        model.load_state_dict(checkpoint["state_dict"])
        dev = device if isinstance(device, torch.device) else select_device(device)
        return cls(model, name=checkpoint.get("name", Path(path).stem), arch=checkpoint["arch"],
                   input_size=checkpoint["config"]["input_size"], threshold=checkpoint["threshold"],
                   crop_margin=checkpoint.get("crop_margin", CROP_MARGIN), device=dev, batch_size=batch_size)

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        """Probabilities of fake for (N, 3, S, S) float inputs, in batches of ``batch_size``."""
        if len(inputs) == 0:
            return np.zeros(0, dtype=np.float32)
        out = []
        cuda = self.device.type == "cuda"
        with torch.inference_mode():
            for i in range(0, len(inputs), self.batch_size):
                x = torch.from_numpy(np.ascontiguousarray(inputs[i : i + self.batch_size])).to(self.device, non_blocking=cuda)
                # The spectrum model's FFT runs in float32 inside; autocast only speeds up the CNN's convolutions.
                with torch.autocast("cuda", dtype=torch.float16, enabled=cuda and self.arch == "small_cnn"):
                    logits = self.model(x)
                out.append(torch.sigmoid(logits.float()).cpu().numpy())
        return np.concatenate(out)

    def verdict(self, score: float | None) -> str:
        if score is None:
            return "no_face"
        return "fake" if score >= self.threshold else "real"


def image_inputs(rgb: np.ndarray, detector: Detector) -> np.ndarray:
    """The model input for a still image scored as one item: the largest face's crop, or the
    whole image (centre square) when no face is found."""
    boxes = detect_faces(rgb)
    box = boxes[0] if boxes else whole_image_box(rgb)
    return preprocess_face(crop_face(rgb, box, margin=detector.crop_margin), detector.input_size)


@dataclass
class Frame:
    index: int
    time_s: float
    rgb: np.ndarray


def video_info(path: str | Path) -> dict:
    """fps, frame count, duration and size from the container; raises ValueError if it does not open
    or has no decodable frame."""
    cap = cv2.VideoCapture(str(path))
    try:
        if not cap.isOpened():
            raise ValueError("not a decodable video")
        ok, frame = cap.read()
        if not ok or frame is None:
            raise ValueError("the video has no decodable frame")
        fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        return {
            "fps": float(fps),
            "frame_count": count,
            "duration_s": float(count / fps) if fps > 0 and count > 0 else 0.0,
            "width": int(frame.shape[1]),
            "height": int(frame.shape[0]),
        }
    finally:
        cap.release()


def sample_frames(path: str | Path, count: int = 32) -> list[Frame]:
    """``count`` frames spread evenly over the video (all of them if it has fewer).

    Frames are read sequentially with ``grab`` and only the chosen ones are
    converted; seeking is unreliable across containers and codecs."""
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise ValueError("not a decodable video")
    try:
        fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
        total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        if total <= 0:  # container without a frame count: count by reading
            total = 0
            while cap.grab():
                total += 1
            cap.release()
            cap = cv2.VideoCapture(str(path))
        wanted = sorted(set(np.linspace(0, max(total - 1, 0), num=min(count, max(total, 1))).round().astype(int).tolist()))
        frames: list[Frame] = []
        index, pos = 0, 0
        while pos < len(wanted) and cap.grab():
            if index == wanted[pos]:
                ok, bgr = cap.retrieve()
                if ok:
                    frames.append(Frame(index, index / fps, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
                pos += 1
            index += 1
        return frames
    finally:
        cap.release()


def aggregate(scores: list[float], strategy: str = "mean", confident_margin: float = 0.3) -> float | None:
    """One score from per-frame scores.

    ``mean``: the mean. ``confident``: the mean of the frames whose score is at least
    ``confident_margin`` away from 0.5 (blurred or half-turned frames, which score near
    0.5, are ignored); the plain mean if no frame is that confident."""
    if not scores:
        return None
    values = np.asarray(scores, dtype=np.float64)
    if strategy == "mean":
        return float(values.mean())
    if strategy == "confident":
        confident = values[np.abs(values - 0.5) >= confident_margin]
        return float((confident if len(confident) else values).mean())
    raise ValueError(f"unknown aggregation {strategy!r}; choose from {AGGREGATIONS}")


def file_kind(path: str | Path) -> str:
    ext = Path(path).suffix.lower()
    if ext in IMAGE_EXTENSIONS:
        return "image"
    if ext in VIDEO_EXTENSIONS:
        return "video"
    return "unknown"


@dataclass
class Analysis:
    """Everything the report needs. ``frames`` holds per-frame results; each face has
    its box, its score and (for the teaching view) the preprocessed input it was scored on."""

    kind: str
    model: str
    threshold: float
    aggregation: str
    score: float | None
    verdict: str
    reason: str = ""
    whole_image_score: float | None = None
    frames: list[dict] = field(default_factory=list)
    timings: dict = field(default_factory=dict)

    @property
    def face_count(self) -> int:
        return sum(len(f["faces"]) for f in self.frames)

    def as_json(self, path: str | None = None) -> dict:
        out = {"path": path, "kind": self.kind, "faces": self.face_count,
               "score": None if self.score is None else round(self.score, 4), "verdict": self.verdict}
        if self.reason:
            out["reason"] = self.reason
        if self.whole_image_score is not None:
            out["whole_image_score"] = round(self.whole_image_score, 4)
        out["model"] = self.model
        return out


def analyse_frames(frames: list[Frame], detector: Detector, *, kind: str, aggregation: str = "mean",
                   whole_image_fallback: bool = True, keep_inputs: bool = False, timings: dict | None = None,
                   progress=None) -> Analysis:
    """Detect faces on every frame, classify all faces in batches, aggregate.

    Frame score = the highest face score in the frame (one fake face makes the frame fake).
    ``progress(done, total)`` is called after each frame's face detection."""
    timings = dict(timings or {})
    t = time.perf_counter()
    per_frame: list[tuple[Frame, list[FaceBox]]] = []
    inputs: list[np.ndarray] = []
    for n, frame in enumerate(frames):
        if progress is not None:
            progress(n, len(frames))
        boxes = detect_faces(frame.rgb)
        per_frame.append((frame, boxes))
        inputs.extend(preprocess_face(crop_face(frame.rgb, b, margin=detector.crop_margin), detector.input_size) for b in boxes)
    timings["detect_s"] = time.perf_counter() - t
    t = time.perf_counter()
    probs = detector.predict(np.stack(inputs)) if inputs else np.zeros(0)
    timings["classify_s"] = time.perf_counter() - t

    results, frame_scores, k = [], [], 0
    for frame, boxes in per_frame:
        faces = []
        for box in boxes:
            face = {"box": box.as_dict(), "score": float(probs[k])}
            if keep_inputs:
                face["input"] = inputs[k]
            faces.append(face)
            k += 1
        frame_score = max((f["score"] for f in faces), default=None)
        if frame_score is not None:
            frame_scores.append(frame_score)
        results.append({"index": frame.index, "time_s": round(frame.time_s, 3), "score": frame_score, "faces": faces})

    score = aggregate(frame_scores, aggregation)
    analysis = Analysis(kind=kind, model=detector.name, threshold=detector.threshold, aggregation=aggregation,
                        score=score, verdict=detector.verdict(score), frames=results, timings=timings)
    if score is None:
        analysis.reason = "no face found"
        if whole_image_fallback and frames:
            # Scored like a face-centred training image whose face the cascades missed; marked as such.
            t = time.perf_counter()
            whole = [preprocess_face(crop_face(f.rgb, whole_image_box(f.rgb)), detector.input_size) for f in frames]
            analysis.whole_image_score = float(np.mean(detector.predict(np.stack(whole))))
            timings["classify_s"] += time.perf_counter() - t
    timings["total_s"] = sum(v for key, v in timings.items() if key.endswith("_s") and key != "total_s")
    return analysis


def analyse_path(path: str | Path, detector: Detector, *, frame_count: int = 32, aggregation: str = "mean",
                 whole_image_fallback: bool = True, keep_inputs: bool = False, kind: str | None = None,
                 progress=None) -> Analysis:
    kind = kind or file_kind(path)
    t = time.perf_counter()
    if kind == "image":
        frames = [Frame(0, 0.0, load_image_rgb(str(path)))]
    elif kind == "video":
        frames = sample_frames(path, frame_count)
        if not frames:
            raise ValueError(f"{path}: no decodable frame")
    else:
        raise ValueError(f"{path}: not an image or video file")
    decode_s = time.perf_counter() - t
    return analyse_frames(frames, detector, kind=kind, aggregation=aggregation, whole_image_fallback=whole_image_fallback,
                          keep_inputs=keep_inputs, timings={"decode_s": decode_s}, progress=progress)


def iter_media(paths: list[str | Path]) -> list[Path]:
    """Files named, and every image/video inside named directories (sorted, recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and file_kind(f) != "unknown"))
        else:
            out.append(p)
    return out
