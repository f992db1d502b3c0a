"""The year's report as PDF: every figure with its definition, the targets with their status and
the dashboard's charts drawn by matplotlib (imported lazily, only when a report is made) into
reportlab. Chinese text: reportlab's CID font STSong-Light; chart labels: WenQuanYi Micro Hei
(paperang-p2-fonts-cjk in requirements.txt)."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.dashboard import Scope

from . import selectors
from .charts import dashboard_charts, target_trend_charts


def _cjk_font() -> Path | None:
    try:
        import paperang_p2_fonts_cjk
    except ImportError:  # pragma: no cover - requirements.txt installs it
        return None
    path = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
    return path if path.exists() else None


def chart_png(spec: dict) -> bytes:
    """One chart description (admin_portal/charts.py) as a PNG."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    font = _cjk_font()
    props = None
    if font is not None:
        font_manager.fontManager.addfont(str(font))
        props = font_manager.FontProperties(fname=str(font))
    figure = Figure(figsize=(7, 3), dpi=110)
    axes = figure.add_subplot(1, 1, 1)
    labels = spec["labels"]
    datasets = spec["datasets"]
    width = 0.8 / max(len(datasets), 1)
    for i, ds in enumerate(datasets):
        values = [v if v is not None else float("nan") for v in ds["data"]]
        if spec["type"] == "line":
            axes.plot(range(len(labels)), values, marker="o", label=ds["label"])
        else:
            axes.bar([x + i * width for x in range(len(labels))], [0 if v != v else v for v in values], width,
                     label=ds["label"])
    axes.set_xticks([x + (len(datasets) - 1) * width / 2 if spec["type"] != "line" else x for x in range(len(labels))])
    axes.set_xticklabels(labels, fontproperties=props, fontsize=7, rotation=20 if len(labels) > 5 else 0)
    axes.set_title(spec["title"], fontproperties=props, fontsize=10)
    if spec.get("percent"):
        axes.set_ylim(0, 1)
    if len(datasets) > 1:
        axes.legend(prop=props, fontsize=7)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def year_report_pdf(scope: Scope) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=24)
    h2 = ParagraphStyle("h", fontName=font, fontSize=13, leading=18, spaceBefore=8,
                        textColor=colors.HexColor("#1f4e8c"))
    body = ParagraphStyle("b", fontName=font, fontSize=9, leading=12)

    cards = selectors.dashboard_cards(scope)
    level, labels = selectors.group_labels(scope)
    rooms = selectors.rooms_with_utilisation(scope.year)
    trend = selectors.targets_trend()
    lines = trend["by_year"].get(scope.year) or selectors.targets_for_year(scope.year)

    heading = _("School report %(year)s") % {"year": scope.year}
    if scope.major_code:
        heading += f" · {scope.major_code}"
    story = [Paragraph(escape(heading), title),
             Paragraph(escape(_("Generated %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}),
                       body), Spacer(1, 4 * mm), Paragraph(escape(_("Figures")), h2)]
    rows = [[Paragraph(escape(_("Figure")), body), Paragraph(escape(_("Value")), body),
             Paragraph(escape(_("How it is computed")), body)]]
    for card in cards:
        rows.append([Paragraph(escape(str(card.kpi.name)), body), Paragraph(escape(card.display), body),
                     Paragraph(escape(str(card.kpi.help)), body)])
    table = Table(rows, colWidths=[40 * mm, 25 * mm, 105 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef"))]))
    story.append(table)
    if lines:
        story.append(Paragraph(escape(_("Construction-plan targets")), h2))
        target_rows = [[Paragraph(escape(h), body) for h in (_("Figure"), _("Target"), _("Actual"), _("Status"))]]
        for line in lines:
            target_rows.append([Paragraph(escape(line.name), body),
                                Paragraph(escape(selectors.format_value(line.target, line.unit)), body),
                                Paragraph(escape(selectors.format_value(line.actual, line.unit)), body),
                                Paragraph(escape(str(line.status_label)), body)])
        t = Table(target_rows, colWidths=[70 * mm, 30 * mm, 30 * mm, 40 * mm], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
        story.append(t)
    story.append(Paragraph(escape(_("Charts")), h2))
    for spec in dashboard_charts(cards, labels, rooms=rooms) + target_trend_charts(trend):
        if not spec["labels"]:
            continue
        story.append(Image(io.BytesIO(chart_png(spec)), width=170 * mm, height=73 * mm))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=heading, leftMargin=18 * mm, rightMargin=18 * mm).build(story)
    return buffer.getvalue()
