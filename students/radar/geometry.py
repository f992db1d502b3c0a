"""The one geometry of a radar chart, used by every renderer (the inline SVG, the
matplotlib PNG/SVG files and the PDF) and by the stored radar's area.

Axes are equally spaced, the first one points up and the others follow clockwise.
Coordinates are mathematical (x right, y up) on the unit circle: a renderer scales
them by its radius and, where its y axis points down (SVG), flips y.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from platform_site.lazy import lazy_module

np = lazy_module("numpy")


RING_LEVELS = (0.25, 0.5, 0.75, 1.0)

Point = tuple[float, float]


def axis_directions(n: int) -> list[Point]:
    """Unit vector of each of n axes: the first straight up, then clockwise."""
    return [(math.sin(2 * math.pi * i / n), math.cos(2 * math.pi * i / n)) for i in range(n)]


def polygon(values: Sequence[float]) -> list[Point]:
    """The radar polygon's corners for radii 0..1, one per axis."""
    return [(x * v, y * v) for (x, y), v in zip(axis_directions(len(values)), values, strict=True)]


def ring(n: int, level: float) -> list[Point]:
    """A grid ring (the polygon of a constant radius)."""
    return polygon([level] * n)


def text_anchor(x: float, *, tolerance: float = 0.05) -> str:
    """How a label at horizontal position x (unit circle) is aligned: away from the centre."""
    if x > tolerance:
        return "start"
    if x < -tolerance:
        return "end"
    return "middle"


def radar_areas(matrix: np.ndarray) -> np.ndarray:
    """Area of each row's polygon (rows: radars, columns: axes in display order):
    1/2 · sin(2π/n) · Σ r_i · r_(i+1)."""
    r = np.asarray(matrix, dtype=float)
    if r.ndim != 2 or r.shape[1] < 3:
        return np.zeros(r.shape[0] if r.ndim else 0)
    n = r.shape[1]
    return 0.5 * math.sin(2 * math.pi / n) * np.sum(r * np.roll(r, -1, axis=1), axis=1)


def radar_area(values: Sequence[float]) -> float:
    """Area of the radar polygon with the given radii (0..1) on n equally spaced axes."""
    if len(values) < 3:
        return 0.0
    return float(radar_areas(np.asarray([values], dtype=float))[0])


def max_radar_area(n: int) -> float:
    return radar_area([1.0] * n)
