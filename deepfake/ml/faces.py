"""Face detection (OpenCV Haar cascades), cropping and the one preprocessing step.

``preprocess_face`` is the single function that turns a crop into model input;
training and inference both call it, so the model never sees a distribution at
inference time that it was not trained on.

Training data and the crop path
-------------------------------
The shared training images are already face-centred crops. They go through the
same path as an uploaded photo: ``detect_faces`` runs on the image, the largest
face is cropped with ``crop_face`` (same margin), and when the cascades find
nothing the whole image (centre square) is used -- which is also what inference
scores, marked as a whole-image score, when an upload has no detectable face.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

INPUT_SIZE = 64  # side of the square crop the classifiers see
CROP_MARGIN = 0.25  # added on each side, as a fraction of the detected box side
MIN_FACE_FRACTION = 0.08  # smallest face side, as a fraction of the image's short side
MIN_FACE_PIXELS = 24
DETECT_MAX_SIDE = 640  # images are downscaled to this before detection (speed)

_CASCADES: dict[str, cv2.CascadeClassifier] = {}


def _cascade(name: str) -> cv2.CascadeClassifier:
    if name not in _CASCADES:
        classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
        if classifier.empty():  # pragma: no cover - broken OpenCV install
            raise RuntimeError(f"OpenCV Haar cascade {name} could not be loaded")
        _CASCADES[name] = classifier
    return _CASCADES[name]


@dataclass(frozen=True)
class FaceBox:
    x: int
    y: int
    w: int
    h: int
    source: str  # "frontal", "profile", "profile_flipped" or "whole_image"

    def as_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h, "source": self.source}


def _iou(a: FaceBox, b: FaceBox) -> float:
    x1, y1 = max(a.x, b.x), max(a.y, b.y)
    x2, y2 = min(a.x + a.w, b.x + b.w), min(a.y + a.h, b.y + b.h)
    inter = max(0, x2 - x1) * max(0, y2 - y1)
    union = a.w * a.h + b.w * b.h - inter
    return inter / union if union else 0.0


def detect_faces(rgb: np.ndarray, *, min_fraction: float = MIN_FACE_FRACTION, max_faces: int = 8,
                 all_cascades: bool = False) -> list[FaceBox]:
    """Faces in an RGB uint8 image, largest first, in the image's own pixel coordinates.

    The frontal cascade runs first; the profile cascade (on the image and its mirror,
    since it only knows one side) runs when the frontal one finds nothing, or always with
    ``all_cascades``, and adds faces that do not overlap a frontal one.
    """
    h, w = rgb.shape[:2]
    scale = min(1.0, DETECT_MAX_SIDE / max(h, w))
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if scale < 1.0:
        gray = cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    gray = cv2.equalizeHist(gray)
    gh, gw = gray.shape
    min_side = max(MIN_FACE_PIXELS, int(min_fraction * min(gh, gw)))
    boxes: list[FaceBox] = []

    def add(rects, source: str, flipped: bool = False) -> None:
        for (x, y, bw, bh) in rects:
            if flipped:
                x = gw - x - bw
            box = FaceBox(int(x / scale), int(y / scale), int(bw / scale), int(bh / scale), source)
            if all(_iou(box, other) < 0.3 for other in boxes):
                boxes.append(box)

    add(_cascade("haarcascade_frontalface_default.xml").detectMultiScale(gray, 1.1, 5, minSize=(min_side, min_side)), "frontal")
    if not boxes or all_cascades:
        # The profile passes cost as much as the frontal one; by default they run only when
        # no frontal face was found (a turned head), which halves detection time on video.
        profile = _cascade("haarcascade_profileface.xml")
        add(profile.detectMultiScale(gray, 1.1, 5, minSize=(min_side, min_side)), "profile")
        add(profile.detectMultiScale(cv2.flip(gray, 1), 1.1, 5, minSize=(min_side, min_side)), "profile_flipped",
            flipped=True)
    boxes.sort(key=lambda b: b.w * b.h, reverse=True)
    return boxes[:max_faces]


def whole_image_box(rgb: np.ndarray) -> FaceBox:
    """The centre square of the image: what is scored when no face is found."""
    h, w = rgb.shape[:2]
    side = min(h, w)
    return FaceBox((w - side) // 2, (h - side) // 2, side, side, "whole_image")


def crop_face(rgb: np.ndarray, box: FaceBox, *, margin: float = CROP_MARGIN) -> np.ndarray:
    """A square crop around ``box`` enlarged by ``margin`` per side, kept inside the image."""
    h, w = rgb.shape[:2]
    if box.source == "whole_image":
        margin = 0.0
    side = int(round(max(box.w, box.h) * (1 + 2 * margin)))
    side = max(1, min(side, h, w))
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    x0 = int(round(min(max(cx - side / 2, 0), w - side)))
    y0 = int(round(min(max(cy - side / 2, 0), h - side)))
    return rgb[y0 : y0 + side, x0 : x0 + side]


def preprocess_face(crop: np.ndarray, size: int = INPUT_SIZE) -> np.ndarray:
    """RGB uint8 crop -> float32 CHW array in [-1, 1] of side ``size``.

    Area interpolation when shrinking (the usual case), bilinear when enlarging;
    the same for every class and every source.
    """
    h, w = crop.shape[:2]
    interpolation = cv2.INTER_AREA if min(h, w) >= size else cv2.INTER_LINEAR
    resized = cv2.resize(crop, (size, size), interpolation=interpolation)
    array = resized.astype(np.float32) / 127.5 - 1.0
    return np.ascontiguousarray(array.transpose(2, 0, 1))


def faces_in_image(rgb: np.ndarray, *, margin: float = CROP_MARGIN) -> tuple[list[FaceBox], list[np.ndarray]]:
    boxes = detect_faces(rgb)
    return boxes, [crop_face(rgb, box, margin=margin) for box in boxes]


def load_image_rgb(path: str) -> np.ndarray:
    """Decode an image file to RGB uint8; raises ValueError if it does not decode."""
    data = np.fromfile(path, dtype=np.uint8)
    bgr = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"{path}: not a decodable image")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def load_image_bytes_rgb(data: bytes) -> np.ndarray:
    """Decode image bytes to RGB uint8; raises ValueError if they do not decode."""
    bgr = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError("not a decodable image")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
