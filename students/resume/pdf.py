"""The resume as PDF (reportlab): Chinese text in the CID font STSong-Light that
reportlab ships (no font file needed), the radar drawn as vector graphics from the
shared radar geometry."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from ..profiles.models import StudentProfile
from ..radar import geometry
from .models import ResumeSection
from .selectors import resume_context


def _radar_drawing(radar: list[dict], *, font: str):
    """The radar as reportlab vector shapes (y up, like the geometry's coordinates)."""
    from reportlab.graphics.shapes import Drawing, Polygon, String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    size = 80 * mm
    drawing = Drawing(size * 1.6, size)
    cx, cy, r = size * 0.8, size / 2, size / 2 - 14 * mm
    n = len(radar)

    def flat(corners):
        return [v for x, y in corners for v in (cx + r * x, cy + r * y)]

    for level in geometry.RING_LEVELS:
        drawing.add(Polygon(flat(geometry.ring(n, level)), strokeColor=colors.HexColor("#ccccdd"), fillColor=None,
                            strokeWidth=0.5))
    drawing.add(Polygon(flat(geometry.polygon([d["value"] for d in radar])), strokeColor=colors.HexColor("#3b7ddd"),
                        fillColor=colors.Color(0.23, 0.49, 0.87, alpha=0.35), strokeWidth=1.5))
    for (x, y), d in zip(geometry.ring(n, 1.22), radar, strict=True):
        drawing.add(String(cx + r * x, cy + r * y, f"{d['label']} {round(d['value'] * 100)}%", fontName=font,
                           fontSize=8, textAnchor="middle"))
    return drawing


def resume_pdf(*, student: StudentProfile, sections: set[str] | None = None) -> bytes:
    """The resume as PDF. Chinese text uses the CID font STSong-Light that reportlab
    ships (no font file needed); the radar is drawn as vector graphics."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    ctx = resume_context(student=student, sections=sections)
    labels = ctx["section_labels"]
    title = ParagraphStyle("t", fontName=font, fontSize=20, leading=26)
    h2 = ParagraphStyle("h", fontName=font, fontSize=13, leading=18, spaceBefore=8, textColor=colors.HexColor("#1f4e8c"))
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=15)
    muted = ParagraphStyle("m", parent=body, textColor=colors.grey)
    story = [Paragraph(escape(ctx["name"]), title)]
    if ctx["headline"]:
        story.append(Paragraph(escape(ctx["headline"]), body))
    sections_present = ctx["sections"]
    if ResumeSection.PROFILE in sections_present:
        story.append(Paragraph(escape(str(labels[ResumeSection.PROFILE])), h2))
        story.append(Paragraph(escape(f"{student.student_number} · {student.major.display_name} · "
                                      f"{student.school_class.name} · {student.intake_year}"), body))
    if ResumeSection.RADAR in sections_present:
        story.append(Paragraph(escape(str(labels[ResumeSection.RADAR])), h2))
        radar = ctx["radar"]
        if len(radar) >= 3:
            story.append(_radar_drawing(radar, font=font))
        else:
            story.append(Paragraph("—", muted))
    if ResumeSection.GROWTH in sections_present:
        story.append(Paragraph(escape(str(labels[ResumeSection.GROWTH])), h2))
        rows = [[_("Term"), _("Points")]] + [[g["term"], str(g["points"])] for g in ctx["growth"]]
        rows.append([_("Total points"), str(ctx["points_total"])])
        table = Table(rows, colWidths=[60 * mm, 30 * mm])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                                   ("GRID", (0, 0), (-1, -1), 0.3, colors.lightgrey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3fb"))]))
        story.append(table)
    if ResumeSection.RANKING in sections_present:
        tier = ctx["tier"]
        story.append(Paragraph(escape(str(labels[ResumeSection.RANKING])), h2))
        rank = _("Rank %(r)s of %(n)s in the cohort · percentile %(p)s%%") % {
            "r": tier.rank, "n": tier.population, "p": tier.percentile}
        story.append(Paragraph(escape(f"{ctx['tier_label']} · {rank}"), body))
    if ResumeSection.AWARDS in sections_present:
        story.append(Paragraph(escape(str(labels[ResumeSection.AWARDS])), h2))
        for award in ctx["awards"]:
            story.append(Paragraph(escape(f"{award.competition.held_on:%Y-%m} {award.competition.name} · "
                                          f"{award.competition.get_level_display()} · {award.get_rank_display()}"), body))
        if not ctx["awards"]:
            story.append(Paragraph("—", muted))
    for item in ctx["contributed"]:
        story.append(Paragraph(escape(str(item.get("title") or labels.get(item.get("section"), ""))), h2))
        for line in item.get("pdf_lines") or ["—"]:
            story.append(Paragraph(escape(str(line)), body))
    for later in ctx["placeholders"]:
        story.append(Paragraph(escape(str(labels[later])), h2))
        story.append(Paragraph("—", muted))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(escape(f"Chanjiao · {timezone.localdate():%Y-%m-%d}"), muted))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"{ctx['name']} · {_('Resume')}", author=ctx["name"],
                            leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm)
    doc.build(story)
    return buffer.getvalue()
