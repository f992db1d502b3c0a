"""Face detection (YuNet, a small CNN with five landmarks), landmark alignment and the one
preprocessing step.

``detect_faces`` runs OpenCV's ``FaceDetectorYN`` with the shipped YuNet weights
(``deepfake/weights/face_detection_yunet.onnx``, MIT, sha256 checked on load) on the image
downscaled to at most ``DETECT_MAX_SIDE`` pixels. ``crop_face`` aligns the face with its
landmarks: a similarity transform maps the eyes, nose tip and mouth corners onto a fixed
template, so a face in a video frame is framed exactly like the training faces (which go
through the same path). ``preprocess_face`` turns the aligned crop into model input;
training and inference both call it.

When no face is found, the whole image (centre square) is scored and marked as such.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

INPUT_SIZE = 64  # side of the square crop the classifiers see
ALIGN_SIZE = 2 * INPUT_SIZE  # aligned crops are made at twice the input size, then area-resized
CROP_MARGIN = 0.25  # context around the landmark template, as a fraction of its size per side
DETECT_MAX_SIDE = 640  # images are downscaled to this before detection (speed)
SCORE_THRESHOLD = 0.6
CROP_METHOD = "yunet-aligned"  # stored with the weights: the crop path they were trained with
MIN_FACE_PIXELS = 20  # in the original image
YUNET_PATH = Path(__file__).resolve().parent.parent / "weights" / "face_detection_yunet.onnx"
YUNET_SHA256 = "ebafce4e3c118d6554634be5c27ab333b4c047a9a8c3faf1d7cf93101c22f0f0"

# ArcFace's five-point template (eyes, nose tip, mouth corners) on a 112-px square, as
# fractions; YuNet gives its landmarks in the same order.
_TEMPLATE = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655],
                      [70.7299, 92.2041]], dtype=np.float32) / 112.0

_local = threading.local()


def _detector(width: int, height: int) -> cv2.FaceDetectorYN:
    """One YuNet instance per thread (OpenCV's DNN objects are not shared across threads)."""
    det = getattr(_local, "yunet", None)
    if det is None:
        data = YUNET_PATH.read_bytes()
        if hashlib.sha256(data).hexdigest() != YUNET_SHA256:  # pragma: no cover - a tampered file
            raise RuntimeError(f"{YUNET_PATH}: unexpected sha256")
        det = cv2.FaceDetectorYN.create(str(YUNET_PATH), "", (width, height), SCORE_THRESHOLD, 0.3, 5000)
        _local.yunet = det
    det.setInputSize((width, height))
    return det


@dataclass(frozen=True)
class FaceBox:
    x: int
    y: int
    w: int
    h: int
    source: str  # "yunet" or "whole_image"
    score: float = 1.0
    landmarks: tuple = field(default=(), compare=False)  # ((x, y) * 5) in image pixels

    def as_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h, "source": self.source,
                "score": round(self.score, 3)}


def detect_faces(rgb: np.ndarray, *, max_faces: int = 8, min_pixels: int = MIN_FACE_PIXELS) -> list[FaceBox]:
    """Faces in an RGB uint8 image, largest first, in the image's own pixel coordinates."""
    h, w = rgb.shape[:2]
    scale = min(1.0, DETECT_MAX_SIDE / max(h, w))
    img = rgb if scale >= 1.0 else cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    ih, iw = img.shape[:2]
    # YuNet is trained on BGR input.
    _, rows = _detector(iw, ih).detect(np.ascontiguousarray(img[:, :, ::-1]))
    boxes: list[FaceBox] = []
    for row in rows if rows is not None else []:
        x, y, bw, bh = (row[:4] / scale).tolist()
        if min(bw, bh) < min_pixels:
            continue
        marks = tuple((float(row[4 + 2 * i] / scale), float(row[5 + 2 * i] / scale)) for i in range(5))
        x0, y0 = max(0, int(round(x))), max(0, int(round(y)))
        boxes.append(FaceBox(x0, y0, int(round(min(bw, w - x0))), int(round(min(bh, h - y0))), "yunet",
                             float(row[14]), marks))
    boxes.sort(key=lambda b: b.w * b.h, reverse=True)
    return boxes[:max_faces]


def whole_image_box(rgb: np.ndarray) -> FaceBox:
    """The centre square of the image: what is scored when no face is found."""
    h, w = rgb.shape[:2]
    side = min(h, w)
    return FaceBox((w - side) // 2, (h - side) // 2, side, side, "whole_image")


def alignment_matrix(landmarks, size: int = ALIGN_SIZE, margin: float = CROP_MARGIN) -> np.ndarray:
    """The 2x3 similarity transform taking the five landmarks onto the template, framed with ``margin``."""
    template = (0.5 + (_TEMPLATE - 0.5) / (1 + 2 * margin)) * size
    matrix, _ = cv2.estimateAffinePartial2D(np.asarray(landmarks, dtype=np.float32), template, method=cv2.LMEDS)
    if matrix is None:  # degenerate landmarks: plain scale + shift from the eyes
        raise ValueError("landmarks do not define a similarity transform")
    return matrix


def crop_face(rgb: np.ndarray, box: FaceBox, *, margin: float = CROP_MARGIN, size: int = ALIGN_SIZE) -> np.ndarray:
    """The aligned ``size``×``size`` face (whole image: the centre square, resized).

    A large face is first area-downscaled so the warp never shrinks by more than 2×
    (a plain warp would alias the high frequencies the detector looks at)."""
    if box.source == "whole_image" or not box.landmarks:
        square = rgb[box.y : box.y + box.h, box.x : box.x + box.w]
        interpolation = cv2.INTER_AREA if min(square.shape[:2]) >= size else cv2.INTER_LINEAR
        return cv2.resize(square, (size, size), interpolation=interpolation)
    marks = np.asarray(box.landmarks, dtype=np.float32)
    matrix = alignment_matrix(marks, size, margin)
    scale = float(np.hypot(matrix[0, 0], matrix[0, 1]))
    if scale < 0.5:
        # Cut a generous region around the face, area-resize it to 2× the final scale, warp that.
        h, w = rgb.shape[:2]
        pad = int(max(box.w, box.h) * (1 + 2 * margin))
        x0, y0 = max(0, box.x - pad), max(0, box.y - pad)
        x1, y1 = min(w, box.x + box.w + pad), min(h, box.y + box.h + pad)
        factor = 2 * scale
        region = cv2.resize(rgb[y0:y1, x0:x1], (max(1, round((x1 - x0) * factor)), max(1, round((y1 - y0) * factor))),
                            interpolation=cv2.INTER_AREA)
        marks = (marks - [x0, y0]) * factor
        matrix = alignment_matrix(marks, size, margin)
        rgb = region
    return cv2.warpAffine(rgb, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def preprocess_face(crop: np.ndarray, size: int = INPUT_SIZE) -> np.ndarray:
    """RGB uint8 crop -> float32 CHW array in [-1, 1] of side ``size`` (area resize when shrinking)."""
    h, w = crop.shape[:2]
    if (h, w) != (size, size):
        interpolation = cv2.INTER_AREA if min(h, w) >= size else cv2.INTER_LINEAR
        crop = cv2.resize(crop, (size, size), interpolation=interpolation)
    array = crop.astype(np.float32) / 127.5 - 1.0
    return np.ascontiguousarray(array.transpose(2, 0, 1))


def faces_in_image(rgb: np.ndarray, *, margin: float = CROP_MARGIN) -> tuple[list[FaceBox], list[np.ndarray]]:
    boxes = detect_faces(rgb)
    return boxes, [crop_face(rgb, box, margin=margin) for box in boxes]


def load_image_rgb(path: str) -> np.ndarray:
    """Decode an image file to RGB uint8; raises ValueError if it does not decode (or is empty)."""
    data = np.fromfile(path, dtype=np.uint8)
    if data.size == 0:
        raise ValueError("empty file")
    return load_image_bytes_rgb(data.tobytes())


def load_image_bytes_rgb(data: bytes) -> np.ndarray:
    """Decode image bytes to RGB uint8; raises ValueError if they do not decode."""
    if not data:
        raise ValueError("empty file")
    try:
        bgr = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    except cv2.error:
        bgr = None
    if bgr is None:
        raise ValueError("not a decodable image")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
