"""Self-blended images (SBI; Shiohara & Yamasaki, CVPR 2022): pseudo-fakes made from real faces only.

A slightly altered copy of a real face (colour / brightness jitter, sharpen or blur, a small
scale and shift) is blended back into the same image inside a face-shaped mask derived from the
five YuNet landmarks. The result carries what a face swap leaves -- a blending boundary, a colour
mismatch, a frequency mismatch -- without another identity, so a classifier trained on
real vs self-blended learns those traces rather than identities or a generator's fingerprint.

Pure numpy / OpenCV (no torch, no Django). Everything random comes from the ``rng`` passed in
(``numpy.random.Generator``), so a blend is reproducible from its seed. The target is the input
image itself: the output differs from the input only where the mask is non-zero.
"""
from __future__ import annotations

import cv2
import numpy as np

BLEND_RATIOS = (0.25, 0.5, 0.75, 1.0, 1.0, 1.0)  # SBI's choice: a full blend half of the time


def _geometry(landmarks) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """Eye centre, unit right and down vectors of the face, inter-ocular distance, eye-to-mouth distance."""
    marks = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    eyes = (marks[0] + marks[1]) / 2
    mouth = (marks[3] + marks[4]) / 2
    right = marks[1] - marks[0]
    d = float(np.hypot(*right))
    if d < 1e-6:
        raise ValueError("degenerate landmarks: the eyes coincide")
    right = right / d
    down = np.array([-right[1], right[0]])  # perpendicular, pointing towards the mouth
    if np.dot(mouth - eyes, down) < 0:
        down = -down
    h = float(max(np.dot(mouth - eyes, down), 0.3 * d))
    return eyes, right, down, d, h


def face_hull(landmarks, rng: np.random.Generator) -> np.ndarray:
    """Polygon (N, 2) in image pixels: the convex hull of the five landmarks expanded to a face shape.

    The five points span only eyes to mouth; points are added around them in the face's own frame
    (from the brows or forehead down to the chin, cheek to cheek), each extent drawn at random so
    the region varies from the inner face to the whole face, then the convex hull is taken."""
    marks = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    eyes, right, down, d, h = _geometry(marks)
    centre = marks.mean(axis=0)
    grow = rng.uniform(1.1, 1.6)
    points = [centre + (m - centre) * grow for m in marks]
    half_width = d * rng.uniform(0.75, 1.15)  # cheek to cheek, from the eye-mouth axis
    top = h * rng.uniform(0.35, 0.9)  # above the eyes: brows to forehead
    bottom = h * rng.uniform(0.45, 0.85)  # below the mouth: the chin
    mouth = eyes + down * h
    for t in np.linspace(0.0, 1.0, 9):  # an ellipse-like outline, sampled
        angle = np.pi * (1 + t)  # upper half: forehead
        points.append(eyes + right * half_width * np.cos(angle) * 0.95 + down * top * np.sin(angle))
        angle = np.pi * t  # lower half: jaw and chin
        points.append(mouth + right * half_width * 0.9 * np.cos(angle) + down * bottom * np.sin(angle))
    points.append(eyes + right * half_width)
    points.append(eyes - right * half_width)
    points = np.asarray(points) + rng.normal(0.0, 0.03 * d, size=(len(points), 2))
    return cv2.convexHull(points.astype(np.float32)).reshape(-1, 2)


def _odd(n: float) -> int:
    k = max(1, int(round(n)))
    return k if k % 2 else k + 1


def blend_mask(shape: tuple[int, int], landmarks, rng: np.random.Generator) -> np.ndarray:
    """float32 mask in [0, 1] of ``shape`` (h, w): the face hull, elastically deformed, eroded or
    dilated, blurred at the edge (bounded kernel, so it stays zero far from the face) and scaled
    by a random blend ratio."""
    h, w = shape[:2]
    _, _, _, d, fh = _geometry(landmarks)
    size = max(d, fh)
    mask = np.zeros((h, w), dtype=np.float32)
    hull = np.round(face_hull(landmarks, rng) * 16).astype(np.int32)  # 4 fractional bits
    cv2.fillConvexPoly(mask, hull, 1.0, lineType=cv2.LINE_AA, shift=4)
    # Elastic deformation: a smooth random displacement field (coarse noise, upsampled).
    coarse = rng.normal(0.0, 1.0, size=(2, 4, 4)).astype(np.float32)
    amplitude = float(rng.uniform(0.02, 0.08)) * size
    dx = cv2.resize(coarse[0], (w, h), interpolation=cv2.INTER_CUBIC) * amplitude
    dy = cv2.resize(coarse[1], (w, h), interpolation=cv2.INTER_CUBIC) * amplitude
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    mask = cv2.remap(mask, gx + dx, gy + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    # Erode or dilate a little, then soften the edge.
    k = _odd(size * rng.uniform(0.02, 0.12))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    mask = cv2.erode(mask, kernel) if rng.random() < 0.5 else cv2.dilate(mask, kernel)
    sigma = float(size * rng.uniform(0.02, 0.10))
    ksize = _odd(4 * sigma)  # the blur reaches at most 2 sigma outside the (deformed) hull
    mask = cv2.GaussianBlur(mask, (ksize, ksize), sigma, borderType=cv2.BORDER_CONSTANT)
    mask = np.clip(mask, 0.0, 1.0)
    mask[mask < 1e-3] = 0.0
    return (mask * float(rng.choice(BLEND_RATIOS))).astype(np.float32)


def _colour(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    f = img.astype(np.float32)
    f += rng.uniform(-20, 20, size=3).astype(np.float32)  # per-channel shift (RGB)
    if rng.random() < 0.5:
        hsv = cv2.cvtColor(np.clip(f, 0, 255).astype(np.uint8), cv2.COLOR_RGB2HSV).astype(np.float32)
        hsv[..., 0] = (hsv[..., 0] + rng.uniform(-6, 6)) % 180
        hsv[..., 1] *= rng.uniform(0.75, 1.25)
        f = cv2.cvtColor(np.clip(hsv, 0, 255).astype(np.uint8), cv2.COLOR_HSV2RGB).astype(np.float32)
    f = (f - 128) * rng.uniform(0.9, 1.1) + 128 + rng.uniform(-15, 15)  # contrast, brightness
    return np.clip(f, 0, 255).astype(np.uint8)


def _frequency(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    choice = rng.integers(3)
    if choice == 0:  # sharpen (unsharp mask)
        blur = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.8, 1.5)))
        amount = float(rng.uniform(0.3, 1.0))
        return np.clip(img.astype(np.float32) * (1 + amount) - blur.astype(np.float32) * amount, 0, 255).astype(np.uint8)
    if choice == 1:  # blur
        return cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.5, 1.5)))
    h, w = img.shape[:2]  # down- and up-scale
    f = float(rng.uniform(0.4, 0.75))
    small = cv2.resize(img, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _geometric(img: np.ndarray, landmarks, rng: np.random.Generator) -> np.ndarray:
    """A small scale (each axis 0.95-1.05) about the face centre and a shift of up to 3 % of the face."""
    h, w = img.shape[:2]
    marks = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    cx, cy = marks.mean(axis=0)
    _, _, _, d, fh = _geometry(marks)
    sx, sy = rng.uniform(0.95, 1.05, size=2)
    tx, ty = rng.uniform(-0.03, 0.03, size=2) * 2 * max(d, fh)
    matrix = np.array([[sx, 0, cx - sx * cx + tx], [0, sy, cy - sy * cy + ty]], dtype=np.float64)
    return cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def altered_source(face_rgb: np.ndarray, landmarks, rng: np.random.Generator) -> np.ndarray:
    """The copy that is blended back: colour jitter always, sharpen / blur / rescale (p = 0.7), then
    the small scale and shift (always)."""
    src = _colour(face_rgb, rng)
    if rng.random() < 0.7:
        src = _frequency(src, rng)
    return _geometric(src, landmarks, rng)


def self_blend(face_rgb: np.ndarray, landmarks, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(blended RGB uint8 image, float32 mask in [0, 1]) for an RGB uint8 image and its five landmarks
    ((x, y) of the eyes, nose tip and mouth corners in image pixels, YuNet's order).

    ``image = round(mask * altered + (1 - mask) * face_rgb)``: where the mask is zero the image is the
    input, bit for bit. Deterministic given the state of ``rng``."""
    face_rgb = np.asarray(face_rgb)
    if face_rgb.dtype != np.uint8 or face_rgb.ndim != 3 or face_rgb.shape[2] != 3:
        raise ValueError("face_rgb must be an (H, W, 3) uint8 array")
    mask = blend_mask(face_rgb.shape[:2], landmarks, rng)
    source = altered_source(face_rgb, landmarks, rng)
    m = mask[..., None]
    out = np.rint(m * source.astype(np.float32) + (1.0 - m) * face_rgb.astype(np.float32))
    out = np.clip(out, 0, 255).astype(np.uint8)
    out[mask == 0] = face_rgb[mask == 0]  # exact outside the mask, whatever the float rounding
    return out, mask
