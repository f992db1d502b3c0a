"""The radar as an inline SVG (no JavaScript, no request to a worker): the student's
home page and the resume. Shapes come from geometry.py, like the PNG and the PDF."""

from __future__ import annotations

import textwrap

from django.utils.html import escape

from . import geometry


def _points(corners: list[geometry.Point], *, c: float, r: float) -> str:
    # SVG's y axis points down.
    return " ".join(f"{c + r * x:.1f},{c - r * y:.1f}" for x, y in corners)


def radar_svg(axes: list[dict], *, size: int = 320, compare: list[float] | None = None, title: str = "") -> str:
    """`axes`: [{"label", "value" 0..1}] in display order. `compare`, when given, is
    drawn as a dashed outline under the student's polygon (e.g. the cohort average).
    Labels are escaped; long (English) names wrap."""
    n = len(axes)
    if n < 3:
        return ""
    c, r = size / 2, size / 2 - 60
    label = f' aria-label="{escape(title)}"' if title else ""
    pad = 100  # room either side for labels anchored away from the centre
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-pad} 0 {size + 2 * pad} {size}" '
             f'class="radar-svg" role="img"{label}>']
    for level in geometry.RING_LEVELS:
        parts.append(f'<polygon points="{_points(geometry.ring(n, level), c=c, r=r)}" fill="none" stroke="#ccd" '
                     f'stroke-width="1"/>')
    if compare is not None and len(compare) == n:
        parts.append(f'<polygon points="{_points(geometry.polygon(list(compare)), c=c, r=r)}" fill="none" '
                     f'stroke="#e8590c" stroke-width="1.5" stroke-dasharray="4 3" class="radar-compare"/>')
    parts.append(f'<polygon points="{_points(geometry.polygon([a["value"] for a in axes]), c=c, r=r)}" '
                 f'fill="rgba(59,125,221,.35)" stroke="#3b7ddd" stroke-width="2"/>')
    for (ux, uy), axis in zip(geometry.ring(n, 1.12), axes, strict=True):
        x, y = c + r * ux, c - r * uy
        lines = [*textwrap.wrap(axis["label"], 18), f'{round(axis["value"] * 100)}%']
        # Labels above the centre grow upwards, below it downwards, beside it around the middle.
        top = y - (len(lines) - 1) * 12 if uy > 0.05 else y if uy < -0.05 else y - (len(lines) - 1) * 6
        spans = "".join(f'<tspan x="{x:.1f}" y="{top + 12 * i:.1f}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        parts.append(f'<text font-size="11" text-anchor="{geometry.text_anchor(ux)}" '
                     f'dominant-baseline="middle">{spans}</text>')
    parts.append("</svg>")
    return "".join(parts)
