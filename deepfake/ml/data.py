"""Training data: an ImageFolder layout (``real/`` and one or more ``fake*/`` folders).

The trap in the shared faces is that the classes differ in size and format
(160 px JPEG real, 256 px PNG StyleGAN3, 128 px JPEG DCGAN). Two rules keep the
classifier from learning the format instead of the face:

* evaluation (validation, test, and the quality test) first *normalises* every
  image identically -- ``normalise(rgb)``: short side resized to 160 px, JPEG
  re-encoded at quality 90 -- and then runs the real inference path (YuNet
  detection, landmark alignment, ``preprocess_face``);
* training aligns every face once the same way and augments both classes with the
  same random distribution, including what video does to a face: round trips
  through OpenCV's VideoWriter at small face sizes, downscaling, blur, colour and
  white-balance shifts, noise, JPEG quality 30-95, pose jitter and flips.
"""
from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from .faces import (
    INPUT_SIZE,
    FaceBox,
    crop_face,
    detect_faces,
    load_image_rgb,
    preprocess_face,
    whole_image_box,
)

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
EVAL_SIDE = 160
EVAL_JPEG_QUALITY = 90
REAL = "real"


@dataclass
class Sample:
    path: str
    source: str  # "real" or the fake folder's name

    @property
    def label(self) -> int:
        return 0 if self.source == REAL else 1


def discover(data_dir: str | Path, *, limit_per_source: int | None = None, seed: int = 0) -> list[Sample]:
    root = Path(data_dir)
    if not (root / REAL).is_dir():
        raise ValueError(f"{root}: expected a 'real/' folder and at least one 'fake*/' folder")
    sources = [REAL] + sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.startswith("fake"))
    if len(sources) < 2:
        raise ValueError(f"{root}: no 'fake*/' folder found")
    samples: list[Sample] = []
    rng = random.Random(seed)
    for source in sources:
        files = sorted(str(p) for p in (root / source).iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS)
        if limit_per_source is not None and len(files) > limit_per_source:
            files = sorted(rng.sample(files, limit_per_source))
        samples.extend(Sample(f, source) for f in files)
    return samples


def stratified_split(samples: list[Sample], *, val: float = 0.15, test: float = 0.15, seed: int = 0) -> dict[str, list[Sample]]:
    """Train / validation / test, split within each source so every split holds every source."""
    by_source: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_source[s.source].append(s)
    rng = random.Random(seed)
    out: dict[str, list[Sample]] = {"train": [], "val": [], "test": []}
    for source in sorted(by_source):
        items = sorted(by_source[source], key=lambda s: s.path)
        rng.shuffle(items)
        n_test = max(1, round(len(items) * test))
        n_val = max(1, round(len(items) * val))
        out["test"].extend(items[:n_test])
        out["val"].extend(items[n_test : n_test + n_val])
        out["train"].extend(items[n_test + n_val :])
    return out


def data_summary(samples: list[Sample]) -> dict:
    """Per-source counts and the sizes/formats seen (for the model card)."""
    summary: dict[str, dict] = {}
    for source, group in _group(samples).items():
        sizes: Counter = Counter()
        formats: Counter = Counter()
        for s in group[:50]:  # a sample of headers is enough to describe the folder
            img = cv2.imread(s.path, cv2.IMREAD_UNCHANGED)
            if img is not None:
                sizes[f"{img.shape[1]}x{img.shape[0]}"] += 1
            formats[Path(s.path).suffix.lower().lstrip(".")] += 1
        summary[source] = {"count": len(group), "sizes": dict(sizes.most_common(3)), "formats": dict(formats)}
    return summary


def _group(samples: list[Sample]) -> dict[str, list[Sample]]:
    groups: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        groups[s.source].append(s)
    return dict(groups)


def resize_short_side(rgb: np.ndarray, side: int, interpolation: int | None = None) -> np.ndarray:
    h, w = rgb.shape[:2]
    scale = side / min(h, w)
    if interpolation is None:
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=interpolation)


def jpeg_reencode(rgb: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover
        raise RuntimeError("JPEG encoding failed")
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def normalise(rgb: np.ndarray, side: int = EVAL_SIDE, quality: int = EVAL_JPEG_QUALITY) -> np.ndarray:
    """The identical normalisation applied to every class before evaluation."""
    return jpeg_reencode(resize_short_side(rgb, side), quality)


def largest_face_input(rgb: np.ndarray, size: int = INPUT_SIZE) -> tuple[np.ndarray, FaceBox]:
    """The inference path for one face-centred image: detect, take the largest face
    (or the whole image), crop with margin, preprocess."""
    boxes = detect_faces(rgb)
    box = boxes[0] if boxes else whole_image_box(rgb)
    return preprocess_face(crop_face(rgb, box), size), box


@dataclass
class LoadedSample:
    crop: np.ndarray  # the aligned ALIGN_SIZE face (or centre square) of the normalised image, RGB uint8
    whole_image: bool
    label: int
    source: str
    video_variants: list[np.ndarray] = field(default_factory=list)  # the crop after a video round trip


def load_for_training(sample: Sample) -> LoadedSample:
    """Decode once and align the face once (on the normalised image, exactly as at inference);
    augmented epochs work on the aligned crop."""
    norm = normalise(load_image_rgb(sample.path))
    boxes = detect_faces(norm)
    box = boxes[0] if boxes else whole_image_box(norm)
    return LoadedSample(crop_face(norm, box), not boxes, sample.label, sample.source)


VIDEO_FRAME_SIDES = (40, 64, 96)  # the face's size in the simulated video, pixels
VIDEO_CODECS = ("mp4v", "avc1")


def add_video_variants(items: list[LoadedSample], *, seed: int = 0, workdir: str | None = None) -> dict:
    """Give every crop video round trips: the faces, shuffled, become the frames of short clips
    written with OpenCV's VideoWriter (MPEG-4 Part 2; H.264 where the build has an encoder) at a
    few face sizes, read back and resized to the crop size. Returns what was done (for the card)."""
    import tempfile

    rng = np.random.default_rng(seed)
    done: dict[str, int] = {}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for side in VIDEO_FRAME_SIDES:
            order = rng.permutation(len(items))
            for codec in VIDEO_CODECS:
                path = f"{tmp}/{side}_{codec}.mp4"
                writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*codec), 25, (side, side))
                if not writer.isOpened():
                    continue
                for i in order:
                    writer.write(cv2.cvtColor(cv2.resize(items[i].crop, (side, side), interpolation=cv2.INTER_AREA),
                                              cv2.COLOR_RGB2BGR))
                writer.release()
                cap = cv2.VideoCapture(path)
                decoded = 0
                for i in order:
                    ok, frame = cap.read()
                    if not ok:
                        break
                    size = items[i].crop.shape[0]
                    items[i].video_variants.append(
                        cv2.resize(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), (size, size), interpolation=cv2.INTER_LINEAR))
                    decoded += 1
                cap.release()
                done[f"{codec}@{side}px"] = decoded
                break  # one codec per size: the first the build can write
    return done


AUGMENT_PROFILES = ("video", "photo")


def augmented_input(item: LoadedSample, rng: np.random.Generator, size: int = INPUT_SIZE,
                    profile: str = "video") -> np.ndarray:
    """One random view; every step is drawn from the same distribution for both classes:
    a video round trip, small pose/framing jitter, downscale, blur, colour, noise, JPEG, flip.

    ``profile="photo"`` (a model for still images only): no video round trips (the caller adds
    none) and milder downscaling (to 40–64 px, p = 0.2) — video's tiny faces wash out the
    up-sampling traces a photo detector relies on."""
    img = item.crop
    if item.video_variants and rng.random() < 0.6:
        img = item.video_variants[int(rng.integers(len(item.video_variants)))]
    n = img.shape[0]
    angle, scale = float(rng.uniform(-8, 8)), float(rng.uniform(0.92, 1.08))
    matrix = cv2.getRotationMatrix2D((n / 2, n / 2), angle, scale)
    matrix[:, 2] += rng.uniform(-0.04, 0.04, size=2) * n
    img = cv2.warpAffine(img, matrix, (n, n), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    if rng.random() < (0.4 if profile == "video" else 0.2):
        small = int(rng.integers(20 if profile == "video" else 40, 65))
        img = cv2.resize(cv2.resize(img, (small, small), interpolation=cv2.INTER_AREA), (n, n),
                         interpolation=[cv2.INTER_LINEAR, cv2.INTER_CUBIC][int(rng.integers(2))])
    if rng.random() < 0.3:
        img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.4, 1.6)))
    if rng.random() < 0.5:
        f = img.astype(np.float32)
        gray = f.mean(axis=2, keepdims=True)
        f = gray + (f - gray) * rng.uniform(0.7, 1.3)  # saturation
        f = (f - 128) * rng.uniform(0.8, 1.2) + 128 + rng.uniform(-20, 20)  # contrast, brightness
        f *= rng.uniform(0.92, 1.08, size=3)  # white balance
        img = np.clip(f, 0, 255).astype(np.uint8)
    if rng.random() < 0.3:
        img = np.clip(img.astype(np.float32) + rng.normal(0, rng.uniform(2, 8), img.shape), 0, 255).astype(np.uint8)
    if rng.random() < 0.7:
        img = jpeg_reencode(img, int(rng.integers(30, 96)))
    array = preprocess_face(img, size)
    if rng.random() < 0.5:
        array = array[:, :, ::-1].copy()
    return array


def evaluation_inputs(samples: list[Sample], size: int = INPUT_SIZE) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Normalised (identically for every class) and passed through the inference path."""
    arrays, labels, sources = [], [], []
    for s in samples:
        array, _ = largest_face_input(normalise(load_image_rgb(s.path)), size)
        arrays.append(array)
        labels.append(s.label)
        sources.append(s.source)
    return np.stack(arrays), np.asarray(labels), sources
