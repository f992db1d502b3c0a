"""Running a trained detector: loading, frame sampling, batched classification, aggregation.

``analyse_path`` is the whole pipeline for one file and is what the Celery task,
``manage.py detect`` and the benchmarks call.
"""
from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import torch

from . import architectures
from .faces import (
    CROP_MARGIN,
    CROP_METHOD,
    FaceBox,
    crop_face,
    detect_faces,
    load_image_rgb,
    preprocess_face,
    whole_image_box,
)
from .video import video_info  # noqa: F401 - part of this module's API

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
VIDEO_EXTENSIONS = {".mp4", ".webm", ".mov", ".avi", ".mkv"}
from .detect import AGGREGATIONS  # noqa: E402 - one definition, importable without torch


def select_device(prefer: str | None = None) -> torch.device:
    if prefer:
        return torch.device(prefer)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


SMALL_BATCH = 64  # CPU batches up to this many faces run on one torch thread (see Detector.predict)


MEDIA_KINDS = ("image", "video")


class Detector:
    """A loaded detector model on a device; ``predict`` takes preprocessed faces.

    A detector may route a media kind to a *companion* model (issue 16): the shipped one judges
    video frames with itself (small_cnn_v2, video augmentations, video threshold) and still images
    with a photo model (``companions["image"]``) and that model's own threshold. ``for_kind`` gives
    the model that judges a kind; ``predict``, ``threshold_for`` and ``analyse_frames`` route
    through it. A detector without companions is a single model, as before."""

    def __init__(self, model: torch.nn.Module, *, name: str, arch: str, input_size: int, threshold: float,
                 crop_margin: float = CROP_MARGIN, device: torch.device | None = None, batch_size: int = 64,
                 video_threshold: float | None = None):
        self.device = device or select_device()
        self.model = model.to(self.device).eval()
        self.name, self.arch, self.input_size = name, arch, input_size
        self.weights_name = name  # the checkpoint's own name; ``name`` may be replaced by a registry label
        self.threshold, self.crop_margin, self.batch_size = threshold, crop_margin, batch_size
        # Calibrated on held-out real video frames (compressed, moving faces score higher than photos).
        self.video_threshold = threshold if video_threshold is None else video_threshold
        self.companions: dict[str, Detector] = {}

    @classmethod
    def from_file(cls, path: str | Path, *, device: str | torch.device | None = None, batch_size: int = 64,
                  companions: dict[str, str | Path] | None = None) -> Detector:
        """Load weights written by ``train.save_weights``; ValueError with a one-line reason otherwise.

        ``companions`` maps a media kind to the weights of the model that judges it. When it is
        None, the weights' metrics file (``<name>.json`` beside them) is read for a ``"companions"``
        entry (file names relative to the weights' folder); no metrics file or no entry means a
        single model. Pass ``{}`` to load the file alone."""
        dev = device if isinstance(device, torch.device) else select_device(device)
        if dev.type == "cuda" and not torch.cuda.is_available():
            raise ValueError("CUDA is not available on this machine (use --device cpu)")
        detector = cls._load_one(path, dev, batch_size)
        if companions is None:
            companions = companions_named_beside(path)
        for kind, companion_path in companions.items():
            if kind not in MEDIA_KINDS:
                raise ValueError(f"{path}: unknown media kind {kind!r} for a companion model (use image or video)")
            try:
                detector.companions[kind] = cls._load_one(companion_path, dev, batch_size)
            except ValueError as exc:
                raise ValueError(f"{path}: its {kind} model cannot be loaded: {exc}") from None
        return detector

    @classmethod
    def _load_one(cls, path: str | Path, dev: torch.device, batch_size: int) -> Detector:
        try:
            checkpoint = torch.load(path, map_location="cpu", weights_only=True)
            model = architectures.build(checkpoint["arch"], **checkpoint["config"])
            model.load_state_dict(checkpoint["state_dict"])
        except FileNotFoundError:
            raise ValueError(f"{path}: no such weights file") from None
        except Exception as exc:  # noqa: BLE001 - pickle, zip, key and shape errors all mean "not our weights"
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
            raise ValueError(f"{path}: not a detector weights file ({first})") from None
        if checkpoint.get("crop") != CROP_METHOD:
            raise ValueError(f"{path}: trained with an older face-crop path ({checkpoint.get('crop') or 'Haar'}); "
                             "retrain it with train_detector")
        return cls(model, name=checkpoint.get("name", Path(path).stem), arch=checkpoint["arch"],
                   input_size=checkpoint["config"]["input_size"], threshold=checkpoint["threshold"],
                   crop_margin=checkpoint.get("crop_margin", CROP_MARGIN), device=dev, batch_size=batch_size,
                   video_threshold=checkpoint.get("video_threshold"))

    def for_kind(self, kind: str) -> Detector:
        """The model that judges this media kind: its companion for the kind, else this one."""
        return self.companions.get(kind, self)

    def predict(self, inputs: np.ndarray, kind: str = "image") -> np.ndarray:
        """Probabilities of fake for (N, 3, S, S) float inputs, in batches of ``batch_size``, by the
        model that judges ``kind`` (still images unless told otherwise)."""
        routed = self.for_kind(kind)
        if routed is not self:
            return routed.predict(inputs, kind)
        if len(inputs) == 0:
            return np.zeros(0, dtype=np.float32)
        cuda = self.device.type == "cuda"
        # One clip's faces are one small batch: on a CPU the intra-op threads' synchronisation costs
        # more than it gains there, and the frame-parallel face detection already uses the cores
        # (measured: 0.3 s vs 1.0 s for 32 faces on the loaded machine, benchmarks/deepfake_clip.py).
        threads = torch.get_num_threads()
        single = not cuda and len(inputs) <= SMALL_BATCH and threads > 1
        if single:
            torch.set_num_threads(1)
        try:
            return self._predict_batches(inputs, cuda)
        finally:
            if single:
                torch.set_num_threads(threads)

    def _predict_batches(self, inputs: np.ndarray, cuda: bool) -> np.ndarray:
        out = []
        with torch.inference_mode():
            for i in range(0, len(inputs), self.batch_size):
                x = torch.from_numpy(np.ascontiguousarray(inputs[i : i + self.batch_size])).to(self.device, non_blocking=cuda)
                # The spectrum model's FFT runs in float32 inside; autocast only speeds up the CNN's convolutions.
                with torch.autocast("cuda", dtype=torch.float16, enabled=cuda and self.arch == "small_cnn"):
                    logits = self.model(x)
                out.append(torch.sigmoid(logits.float()).cpu().numpy())
        return np.concatenate(out)

    def threshold_for(self, kind: str) -> float:
        """The decision threshold of the model that judges ``kind``: its video threshold for video,
        its image threshold otherwise."""
        routed = self.for_kind(kind)
        return routed.video_threshold if kind == "video" else routed.threshold

    def verdict(self, score: float | None, kind: str = "image") -> str:
        if score is None:
            return "no_face"
        return "fake" if score >= self.threshold_for(kind) else "real"


def companions_named_beside(path: str | Path) -> dict[str, Path]:
    """The companion models named by the metrics file beside a weights file (``<name>.json``,
    key ``"companions"``: media kind -> weights file name in the same folder); ``{}`` when there
    is no metrics file or it names none. ValueError with a one-line reason when it cannot be read."""
    path = Path(path)
    manifest = path.with_suffix(".json")
    if not manifest.is_file():
        return {}
    try:
        named = json.loads(manifest.read_text(encoding="utf-8")).get("companions") or {}
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        raise ValueError(f"{manifest}: not a readable metrics file ({first})") from None
    if not isinstance(named, dict) or not all(isinstance(v, str) and v for v in named.values()):
        raise ValueError(f"{manifest}: \"companions\" must map a media kind to a weights file name")
    out = {}
    for kind, name in named.items():
        if Path(name).name != name:  # a name in the same folder, never a path elsewhere
            raise ValueError(f"{manifest}: companion {name!r} must be a file name in the same folder")
        out[kind] = path.parent / name
    return out


def image_inputs(rgb: np.ndarray, detector: Detector) -> np.ndarray:
    """The model input for a still image scored as one item: the largest face's crop, or the
    whole image (centre square) when no face is found."""
    boxes = detect_faces(rgb)
    box = boxes[0] if boxes else whole_image_box(rgb)
    model = detector.for_kind("image")
    return preprocess_face(crop_face(rgb, box, margin=model.crop_margin), model.input_size)


@dataclass
class Frame:
    index: int
    time_s: float
    rgb: np.ndarray


# Gaps between wanted frames at least this long are crossed by seeking (the decoder jumps to
# the key frame before the target) instead of decoding every frame in between. Shorter gaps are
# read through: a 10 s clip sampled at 32 frames has gaps of ~8 frames, and there grabbing was
# measured faster than seeking (MPEG-4 key frames every ~12 frames; benchmarks/deepfake_clip.py).
SEEK_MIN_GAP = 50


def sample_frames(path: str | Path, count: int = 32) -> list[Frame]:
    """``count`` frames spread evenly over the video (all of them if it has fewer).

    Short gaps are read through with ``grab`` and only the chosen frames are converted; long gaps
    are crossed with a seek, whose landing position is checked — a container that seeks
    imprecisely falls back to reading through, so the frames are the same either way."""
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
        index, seekable = 0, True
        for target in wanted:
            if seekable and target - index >= SEEK_MIN_GAP:
                cap.set(cv2.CAP_PROP_POS_FRAMES, target)
                if int(cap.get(cv2.CAP_PROP_POS_FRAMES)) == target:
                    index = target
                else:  # imprecise seeking: go back to where we were and read through from now on
                    seekable = False
                    cap.set(cv2.CAP_PROP_POS_FRAMES, index)
                    if int(cap.get(cv2.CAP_PROP_POS_FRAMES)) != index:
                        cap.release()
                        cap = cv2.VideoCapture(str(path))
                        for _ in range(index):
                            cap.grab()
            while index < target and cap.grab():
                index += 1
            if index != target or not cap.grab():
                break
            index += 1
            ok, bgr = cap.retrieve()
            if ok:
                frames.append(Frame(target, target / fps, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
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
    uncertain: bool = False
    uncertain_reasons: list[str] = field(default_factory=list)

    @property
    def face_count(self) -> int:
        return sum(len(f["faces"]) for f in self.frames)

    @property
    def frames_analysed(self) -> int:
        return len(self.frames)

    def as_json(self, path: str | None = None) -> dict:
        out = {"path": path, "kind": self.kind, "faces": self.face_count, "frames_analysed": self.frames_analysed,
               "score": None if self.score is None else round(self.score, 4), "verdict": self.verdict,
               "threshold": round(self.threshold, 4), "uncertain": self.uncertain,
               "uncertain_reasons": self.uncertain_reasons,
               "whole_image_score": None if self.whole_image_score is None else round(self.whole_image_score, 4)}
        if self.reason:
            out["reason"] = self.reason
        if self.kind == "video":
            out["faces_per_frame"] = [len(f["faces"]) for f in self.frames]
            out["frame_scores"] = [None if f["score"] is None else round(f["score"], 4) for f in self.frames]
        out["model"] = self.model
        return out


UNCERTAIN_MARGIN = 0.1  # a score this close to the threshold is not a verdict
MIN_CONFIDENT_FACE = 40  # px: smaller faces carry too little detail to judge
MIN_FACE_FRAMES = 0.5  # share of a video's frames that must show a face


def uncertainty(frame_scores: list[float], faces: list[dict], frames_total: int, score: float | None,
                threshold: float) -> list[str]:
    """Why the verdict would not be trustworthy (empty: it is): frames that disagree, a score
    at the threshold, or input unlike the training data (tiny or hard-to-see faces, faces in
    too few frames). The reasons are short English source texts (translated where shown)."""
    reasons: list[str] = []
    if score is None:
        return ["no face found"]
    if abs(score - threshold) < UNCERTAIN_MARGIN:
        reasons.append("score close to the threshold")
    if len(frame_scores) >= 3:
        above = float(np.mean(np.asarray(frame_scores) >= threshold))
        if 0.25 <= above <= 0.75:
            reasons.append("frames disagree")
    if faces:
        sizes = [min(f["box"]["w"], f["box"]["h"]) for f in faces]
        if float(np.median(sizes)) < MIN_CONFIDENT_FACE:
            reasons.append("faces too small")
        if float(np.median([f["box"].get("score", 1.0) for f in faces])) < 0.75:
            reasons.append("faces hard to see")
    if frames_total > 1 and len(frame_scores) < MIN_FACE_FRAMES * frames_total:
        reasons.append("face missing in most frames")
    return reasons


# Face detection runs on this many threads, one frame each (OpenCV releases the GIL; each thread
# keeps its own YuNet instance). Two, for the two cores the lab's workers are sized for. OpenCV's
# own intra-operation threads are then set to one: frames in parallel plus OpenCV's threads inside
# each would oversubscribe the cores (measured: median 4.6 s vs 2.3 s for the 720p clip on the
# loaded machine, benchmarks/deepfake_clip.py).
DETECT_WORKERS = max(1, min(2, os.cpu_count() or 1))
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _detect_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            cv2.setNumThreads(1)
            _pool = ThreadPoolExecutor(max_workers=DETECT_WORKERS, thread_name_prefix="yunet")
        return _pool


def _forget_pool() -> None:  # a forked child (Celery prefork) must not use the parent's threads
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _faces_of(frame: Frame, crop_margin: float, input_size: int) -> tuple[list[FaceBox], list[np.ndarray]]:
    boxes = detect_faces(frame.rgb)
    return boxes, [preprocess_face(crop_face(frame.rgb, b, margin=crop_margin), input_size) for b in boxes]


def analyse_frames(frames: list[Frame], detector: Detector, *, kind: str, aggregation: str = "mean",
                   whole_image_fallback: bool = True, keep_inputs: bool = False, timings: dict | None = None,
                   progress=None) -> Analysis:
    """Detect faces on every frame, classify all faces in batches, aggregate.

    The model that judges ``kind`` (``Detector.for_kind``) crops, scores and decides; its name is
    the analysis's ``model``. Frame score = the highest face score in the frame (one fake face makes
    the frame fake).
    ``progress(done, total)`` is called after each frame's face detection."""
    detector = detector.for_kind(kind)  # the model that judges this kind (a companion, or the detector itself)
    timings = dict(timings or {})
    t = time.perf_counter()
    per_frame: list[tuple[Frame, list[FaceBox]]] = []
    inputs: list[np.ndarray] = []
    if DETECT_WORKERS > 1 and len(frames) > 1:
        found = _detect_pool().map(_faces_of, frames, [detector.crop_margin] * len(frames),
                                   [detector.input_size] * len(frames))
    else:
        found = (_faces_of(frame, detector.crop_margin, detector.input_size) for frame in frames)
    for n, (frame, (boxes, crops)) in enumerate(zip(frames, found, strict=True)):
        if progress is not None:
            progress(n, len(frames))
        per_frame.append((frame, boxes))
        inputs.extend(crops)
    timings["detect_s"] = time.perf_counter() - t
    t = time.perf_counter()
    probs = detector.predict(np.stack(inputs), kind) if inputs else np.zeros(0)
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
    threshold = detector.threshold_for(kind)
    reasons = uncertainty(frame_scores, [face for r in results for face in r["faces"]], len(results), score, threshold)
    verdict = detector.verdict(score, kind)
    if reasons and score is not None:
        verdict = "uncertain"
    analysis = Analysis(kind=kind, model=detector.name, threshold=threshold, aggregation=aggregation,
                        score=score, verdict=verdict, frames=results, timings=timings, uncertain=bool(reasons),
                        uncertain_reasons=reasons)
    if score is None:
        analysis.reason = "no face found"
        if whole_image_fallback and frames:
            # Scored like a face-centred training image whose face YuNet missed; marked as such.
            t = time.perf_counter()
            whole = [preprocess_face(crop_face(f.rgb, whole_image_box(f.rgb)), detector.input_size) for f in frames]
            analysis.whole_image_score = float(np.mean(detector.predict(np.stack(whole), kind)))
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
