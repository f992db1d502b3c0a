"""Radar chart images (matplotlib, PNG and SVG), rendered by a Celery task into the
media storage (`radar-charts/<subject>/`: MEDIA_ROOT on the embedded default, the
object-storage bucket when MEDIA_S3_BUCKET is set, so web and workers on several
machines share them) and never in a request.

A chart is named by what it shows: `<kind>-<lang>-<digest>.<fmt>` where digest is a
hash of the plotted numbers and labels. A page computes the digest from the stored
radar (cheap), serves the file when it exists, and otherwise enqueues the render
and polls. A grade change changes the numbers, so an old file can never be served
for new data; the change also deletes the old files and re-renders at once.

Chinese labels use WenQuanYi Micro Hei, shipped by the `paperang-p2-fonts-cjk`
package (requirements.txt), registered with matplotlib's font manager here.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from . import geometry

KINDS = ("radar", "growth")
CLASS_KIND = "class"
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
CJK_FAMILY = "WenQuanYi Micro Hei"


def cjk_font_path() -> Path | None:
    try:
        import paperang_p2_fonts_cjk
    except ImportError:  # pragma: no cover - requirements.txt installs it
        return None
    path = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
    return path if path.exists() else None


_configured = False


def _pyplot():
    """Import matplotlib lazily (workers only), headless, with the CJK font first."""
    global _configured
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    if not _configured:
        path = cjk_font_path()
        if path is not None:
            font_manager.fontManager.addfont(str(path))
        matplotlib.rcParams["font.family"] = "sans-serif"
        matplotlib.rcParams["font.sans-serif"] = [CJK_FAMILY, "DejaVu Sans"]
        matplotlib.rcParams["axes.unicode_minus"] = False
        matplotlib.rcParams["svg.fonttype"] = "path"  # SVGs render the same without the font installed
        matplotlib.rcParams["svg.hashsalt"] = "chanjiao"  # deterministic ids
        _configured = True
    return plt


# --- what a chart shows ------------------------------------------------------------

@dataclass
class ChartData:
    kind: str
    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]   # (legend label, values 0..1); the first is drawn strongest
    footer: str = ""

    def digest(self) -> str:
        payload = json.dumps(
            [self.kind, self.title, self.labels, [(n, [round(v, 4) for v in vs]) for n, vs in self.series], self.footer],
            ensure_ascii=False,
        )
        return hashlib.sha1(payload.encode()).hexdigest()[:16]


def student_chart_data(*, student, kind: str) -> ChartData:
    """The numbers a student's chart shows, in the active language."""
    from .selectors import growth_by_year, radar_for_student, radar_history

    radar = radar_for_student(student=student)
    labels = [a.name for a in radar.axes]
    if kind == "growth":
        history = growth_by_year(radar_history(student=student))
        series = [(_("Academic year %(year)s") % {"year": p.label}, p.values) for p in history]
        if not series:
            series = [(_("No grades yet"), [0.0] * len(labels))]
        return ChartData(kind=kind, title=_("Growth by academic year"), labels=labels, series=series,
                         footer=" · ".join(f"{p.label}: {p.area:.2f}" for p in history))
    return ChartData(
        kind="radar", title=_("Core competence radar"), labels=labels,
        series=[(_("Me"), radar.values), (_("Cohort average"), radar.cohort_values)],
        footer=_("Area %(area).2f of %(max).2f") % {"area": radar.area, "max": radar.max_area},
    )


def class_chart_data(*, school_class, summary) -> ChartData:
    return ChartData(
        kind=CLASS_KIND, title=_("Class average radar"), labels=[row.name for row in summary.rows],
        series=[(_("Class average"), [row.mean for row in summary.rows]),
                (_("Cohort average"), [row.cohort for row in summary.rows])],
        footer=school_class.name,
    )


# --- drawing ------------------------------------------------------------------------

PALETTE = ["#0d6efd", "#adb5bd", "#20c997", "#fd7e14", "#6f42c1", "#d63384"]


def render(data: ChartData, fmt: str) -> bytes:
    """Draw a radar chart: one polygon per series over axes 0..1.

    Drawn on plain Cartesian axes (rings, spokes and labels placed by hand): matplotlib's
    polar axes cost most of the render time and add nothing a radar needs."""
    plt = _pyplot()
    n = max(len(data.labels), 3)
    directions = geometry.axis_directions(n)  # first axis up, clockwise
    xs = [x for x, _y in directions]
    ys = [y for _x, y in directions]
    fig = plt.figure(figsize=(6, 6), dpi=100)
    try:
        ax = fig.add_axes((0.13, 0.15, 0.74, 0.74))
        ax.set_xlim(-1.12, 1.12)
        ax.set_ylim(-1.12, 1.12)
        ax.set_aspect("equal")
        ax.axis("off")
        for level in geometry.RING_LEVELS:
            corners = geometry.ring(n, level)
            ax.plot([x for x, _ in corners + corners[:1]], [y for _, y in corners + corners[:1]], color="#dee2e6",
                    linewidth=0.8)
            ax.text(0.02, level + 0.01, f"{level:.0%}", fontsize=7, color="#6c757d")
        for x, y in zip(xs, ys, strict=True):
            ax.plot([0, x], [0, y], color="#dee2e6", linewidth=0.8)
        for label, x, y in zip(data.labels, xs, ys, strict=False):
            ha = {"start": "left", "end": "right", "middle": "center"}[geometry.text_anchor(x, tolerance=0.2)]
            va = "center" if abs(y) >= 0.2 else "center"
            if y > 0.9:
                va = "bottom"
            elif y < -0.9:
                va = "top"
            ax.text(x * 1.06, y * 1.06, label, fontsize=10, ha=ha, va=va)
        series = data.series
        radar_like = data.kind in ("radar", CLASS_KIND)
        order = list(reversed(list(enumerate(series)))) if radar_like else list(enumerate(series))
        handles = []
        for i, (name, values) in order:
            corners = geometry.polygon(list(values) + [0.0] * (n - len(values)))
            px = [x for x, _ in corners]
            py = [y for _, y in corners]
            if radar_like:
                color = PALETTE[0] if i == 0 else PALETTE[1]
                style, alpha = ("-", 0.25) if i == 0 else ("--", 0.12)
            else:
                last = i == len(series) - 1
                color = PALETTE[0] if last else PALETTE[(i + 2) % len(PALETTE)]
                style, alpha = "-", 0.2 if last else 0.08
            (line,) = ax.plot(px + px[:1], py + py[:1], style, color=color, linewidth=2, label=name)
            ax.fill(px, py, color=color, alpha=alpha)
            handles.append(line)
        fig.legend(handles=list(reversed(handles)) if radar_like else handles, loc="lower center",
                   bbox_to_anchor=(0.5, 0.055), ncol=min(3, len(handles)), fontsize=9, frameon=False)
        fig.text(0.5, 0.95, data.title, ha="center", fontsize=13)
        if data.footer:
            fig.text(0.5, 0.03, data.footer, ha="center", fontsize=9, color="#495057")
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        return buffer.getvalue()
    finally:
        plt.close(fig)


# --- files (through the storage API) ------------------------------------------------

CHARTS_DIR = "radar-charts"


def _subject_dir(subject: str) -> str:
    return f"{CHARTS_DIR}/{subject}"


def chart_name(*, subject: str, kind: str, lang: str, digest: str, fmt: str) -> str:
    """The chart's name in the media storage."""
    return f"{_subject_dir(subject)}/{kind}-{lang}-{digest}.{fmt}"


def _files(folder: str) -> list[str]:
    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:  # the filesystem storage: no folder yet (object storage lists nothing)
        return []


def _put(name: str, content: bytes) -> None:
    """Write a whole file so that a reader never sees half of it: a local file is written
    aside and renamed; an object store's PUT is atomic already."""
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:  # object storage: no local path
        default_storage.save(name, ContentFile(content))
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own per writer: two threads of one process (or two processes) may
    # render the same chart at once, and a shared temporary name lets one rename the
    # other's half-written file away under it.
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(content)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def charts_write(*, subject: str, data: ChartData, lang: str) -> str:
    """Render PNG and SVG, write them, drop older renders of the same chart."""
    digest = data.digest()
    keep = set()
    for fmt in FORMATS:
        name = chart_name(subject=subject, kind=data.kind, lang=lang, digest=digest, fmt=fmt)
        keep.add(name.rsplit("/", 1)[1])
        if not default_storage.exists(name):
            _put(name, render(data, fmt))
    folder = _subject_dir(subject)
    for old in _files(folder):
        # Older digests, and any copy a concurrent render saved under another name.
        if old.startswith(f"{data.kind}-{lang}-") and old not in keep and not old.endswith(".tmp"):
            default_storage.delete(f"{folder}/{old}")
    cache.delete(_pending_key(subject, data.kind, lang, digest))
    return digest


def charts_invalidate(*, subject: str) -> None:
    """Drop a subject's rendered charts. A file another writer is still writing (``.tmp``)
    is left alone: it is renamed into place or removed by its own writer."""
    folder = _subject_dir(subject)
    for name in _files(folder):
        if not name.endswith(".tmp"):
            default_storage.delete(f"{folder}/{name}")


def student_subject(student_id: int) -> str:
    return f"student-{student_id}"


def class_subject(class_id: int) -> str:
    return f"class-{class_id}"


@dataclass
class ChartStatus:
    ready: bool
    digest: str
    name_png: str
    name_svg: str


def chart_status(*, subject: str, data: ChartData, lang: str, enqueue) -> ChartStatus:
    """Whether the chart for these numbers exists; when not, enqueue its render once."""
    digest = data.digest()
    png = chart_name(subject=subject, kind=data.kind, lang=lang, digest=digest, fmt="png")
    svg = chart_name(subject=subject, kind=data.kind, lang=lang, digest=digest, fmt="svg")
    ready = default_storage.exists(png) and default_storage.exists(svg)
    if not ready and _claim_render(subject, data.kind, lang, digest):
        enqueue()
    return ChartStatus(ready=ready, digest=digest, name_png=png, name_svg=svg)


PENDING_TIMEOUT_S = 60


def _pending_key(subject: str, kind: str, lang: str, digest: str) -> str:
    # Named after the storage too (its folder or bucket): a claim belongs to the files it is for.
    where = f"{getattr(default_storage, 'bucket_name', '')}:{getattr(default_storage, 'location', '')}"
    tag = hashlib.sha1(where.encode(), usedforsecurity=False).hexdigest()[:12]
    return f"radar-chart-pending:{tag}:{subject}:{kind}:{lang}:{digest}"


def _claim_render(subject: str, kind: str, lang: str, digest: str) -> bool:
    """True for the first poll that asks for this render (an atomic add in the shared
    cache, so every web process sees it); again after a minute if the worker lost it."""
    return cache.add(_pending_key(subject, kind, lang, digest), 1, timeout=PENDING_TIMEOUT_S)


def current_language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).lower()
