"""Small SVG line charts for the guides, drawn from the numbers the lab stored with its current
model (mean spectra per source, training history). Presentation only: numbers in, markup out."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0d6efd", "#dc3545", "#fd7e14", "#198754", "#6f42c1")


def line_chart(series: list[tuple[str, list[float]]], *, x_label: str, y_label: str, width: int = 520,
               height: int = 220, y_range: tuple[float, float] | None = None, chart_id: str = "") -> SafeString:
    """An SVG with one polyline per (name, values), a legend and axis labels; '' without data."""
    series = [(name, [float(v) for v in values if v is not None]) for name, values in series if values]
    series = [(name, values) for name, values in series if len(values) >= 2]
    if not series:
        return mark_safe("")
    left, right, top, bottom = 44, 12, 12, 34
    lo = min(min(v) for _n, v in series) if y_range is None else y_range[0]
    hi = max(max(v) for _n, v in series) if y_range is None else y_range[1]
    span = (hi - lo) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="img-fluid border rounded" '
             f'role="img" aria-label="{escape(y_label)}"{f" id={chr(34)}{escape(chart_id)}{chr(34)}" if chart_id else ""}>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>',
             f'<text x="{left}" y="{top + 8}" font-size="10" fill="#666">{hi:.2f}</text>',
             f'<text x="{left + 2}" y="{top + plot_h - 2}" font-size="10" fill="#666">{lo:.2f}</text>',
             f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" font-size="11" text-anchor="middle">{escape(x_label)}</text>',
             f'<text x="12" y="{top + plot_h / 2:.0f}" font-size="11" text-anchor="middle" '
             f'transform="rotate(-90 12 {top + plot_h / 2:.0f})">{escape(y_label)}</text>']
    for index, (name, values) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        step = plot_w / (len(values) - 1)
        points = " ".join(f"{left + i * step:.1f},{top + plot_h - (v - lo) / span * plot_h:.1f}"
                          for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        parts.append(f'<rect x="{left + plot_w - 150}" y="{top + 4 + 14 * index}" width="10" height="3" fill="{colour}"/>')
        parts.append(f'<text x="{left + plot_w - 136}" y="{top + 9 + 14 * index}" font-size="10">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers formatted above, text escaped
