"""Self-blended images (deepfake/ml/blend.py): fast checks on synthetic faces, no shared data needed."""
from __future__ import annotations

import numpy as np
import pytest

from deepfake.ml.blend import blend_mask, face_hull, self_blend

# Eyes, nose tip, mouth corners of a face about 60 px wide in the middle of a 200x240 image.
LANDMARKS = ((85.0, 100.0), (125.0, 100.0), (105.0, 122.0), (90.0, 142.0), (120.0, 142.0))
SHAPE = (240, 200)


def _image(seed: int = 0) -> np.ndarray:
    """A textured RGB image (a flat image would hide what the alteration does)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : SHAPE[0], 0 : SHAPE[1]]
    base = np.stack([x * 0.6 + 40, y * 0.5 + 30, (x + y) * 0.3 + 50], axis=-1)
    return np.clip(base + rng.normal(0, 12, base.shape), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", range(8))
def test_shapes_dtypes_and_ranges(seed):
    img = _image(seed)
    out, mask = self_blend(img, LANDMARKS, np.random.default_rng(seed))
    assert out.shape == img.shape and out.dtype == np.uint8
    assert mask.shape == img.shape[:2] and mask.dtype == np.float32
    assert mask.min() >= 0.0 and mask.max() <= 1.0
    assert mask.max() >= 0.25  # the smallest blend ratio
    assert np.any(out != img)  # a blend always changes the face


@pytest.mark.parametrize("seed", range(8))
def test_mask_is_zero_far_from_the_face_and_covers_it(seed):
    mask = blend_mask(SHAPE, LANDMARKS, np.random.default_rng(seed))
    # The nose tip is always inside; the borders and corners are far from the face.
    assert mask[122, 105] > 0
    far = np.ones(SHAPE, dtype=bool)
    far[40:220, 30:180] = False  # the face (inter-ocular distance 40 px) is well inside this box
    assert np.all(mask[far] == 0)
    ys, xs = np.nonzero(mask)
    assert ys.min() > 0 and xs.min() > 0 and ys.max() < SHAPE[0] - 1 and xs.max() < SHAPE[1] - 1


@pytest.mark.parametrize("seed", range(8))
def test_output_differs_only_where_the_mask_is_non_zero(seed):
    img = _image(seed)
    out, mask = self_blend(img, LANDMARKS, np.random.default_rng(seed))
    changed = np.any(out != img, axis=2)
    assert not np.any(changed & (mask == 0))
    assert np.array_equal(out[mask == 0], img[mask == 0])


def test_deterministic_with_a_seeded_rng():
    img = _image(3)
    a_out, a_mask = self_blend(img, LANDMARKS, np.random.default_rng(42))
    b_out, b_mask = self_blend(img, LANDMARKS, np.random.default_rng(42))
    c_out, _ = self_blend(img, LANDMARKS, np.random.default_rng(43))
    assert np.array_equal(a_out, b_out) and np.array_equal(a_mask, b_mask)
    assert not np.array_equal(a_out, c_out)


def test_input_is_not_modified():
    img = _image(1)
    before = img.copy()
    self_blend(img, LANDMARKS, np.random.default_rng(0))
    assert np.array_equal(img, before)


def test_hull_contains_the_landmarks():
    import cv2

    hull = face_hull(LANDMARKS, np.random.default_rng(0))
    assert hull.ndim == 2 and hull.shape[1] == 2
    for x, y in LANDMARKS:
        assert cv2.pointPolygonTest(hull.astype(np.float32), (x, y), False) > 0


def test_face_near_the_border_keeps_the_mask_inside_the_image():
    marks = tuple((x - 80.0, y - 90.0) for x, y in LANDMARKS)  # face cut by the top-left corner
    img = _image(2)
    out, mask = self_blend(img, marks, np.random.default_rng(5))
    assert mask.shape == img.shape[:2] and np.isfinite(mask).all()
    assert not np.any(np.any(out != img, axis=2) & (mask == 0))


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        self_blend(_image().astype(np.float32), LANDMARKS, np.random.default_rng(0))
    with pytest.raises(ValueError):
        self_blend(_image(), [(10.0, 10.0)] * 5, np.random.default_rng(0))
