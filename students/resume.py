"""The smart visual resume: assembling it, public sections, the share link and the PDF."""

from __future__ import annotations

import io
import math
import secrets
import textwrap

from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.services import audit_log_record

from . import competency_values, points, rankings
from .growth_models import CompetitionEntry, PointEntry, ResumeSection, ResumeSettings, Tier
from .growth_permissions import can_manage_student
from .models import StudentProfile

ALL_SECTIONS = list(ResumeSection.values)


def resume_settings_for(*, student: StudentProfile) -> ResumeSettings:
    settings_obj, _ = ResumeSettings.objects.get_or_create(student=student)
    return settings_obj


@transaction.atomic
def resume_settings_update(*, actor, student: StudentProfile, public_sections: list[str],
                           visible_to_enterprises: bool, headline: str = "") -> ResumeSettings:
    if student.user_id != actor.pk:
        raise ApplicationError("Only the student edits their resume.", code="permission_denied", status_code=403)
    unknown = set(public_sections) - set(ALL_SECTIONS)
    if unknown:
        raise ApplicationError(f"Unknown sections: {', '.join(sorted(unknown))}.", code="invalid_section")
    obj = resume_settings_for(student=student)
    obj.public_sections = [s for s in ALL_SECTIONS if s in set(public_sections)]
    obj.visible_to_enterprises = visible_to_enterprises
    obj.headline = headline[:200]
    obj.save()
    audit_log_record(actor=actor, action="resume.settings", target=obj,
                     data={"public": obj.public_sections, "enterprises": visible_to_enterprises})
    return obj


@transaction.atomic
def resume_share_create(*, actor, student: StudentProfile) -> ResumeSettings:
    """A new unguessable token (256 bits); an older link stops working."""
    obj = resume_settings_for(student=student)
    if student.user_id != actor.pk:
        raise ApplicationError("Only the student shares their resume.", code="permission_denied", status_code=403)
    obj.share_token = secrets.token_urlsafe(32)
    obj.share_created_at = timezone.now()
    obj.save(update_fields=["share_token", "share_created_at", "updated_at"])
    audit_log_record(actor=actor, action="resume.share", target=obj)
    return obj


@transaction.atomic
def resume_share_revoke(*, actor, student: StudentProfile) -> ResumeSettings:
    obj = resume_settings_for(student=student)
    obj.share_token = None
    obj.share_created_at = None
    obj.save(update_fields=["share_token", "share_created_at", "updated_at"])
    audit_log_record(actor=actor, action="resume.revoke", target=obj)
    return obj


def resume_by_token(*, token: str) -> tuple[StudentProfile, ResumeSettings]:
    if not token or len(token) < 32:
        raise Http404
    obj = (ResumeSettings.objects.select_related("student__user", "student__major", "student__school_class")
           .filter(share_token=token).first())
    if obj is None:
        raise Http404
    return obj.student, obj


def resume_for_viewer(*, user, student_number: str) -> tuple[StudentProfile, set[str]]:
    """Which sections of whose resume a non-owner sees: enterprises only resumes made
    visible to them, and only the public sections; the head teacher and school admins all."""
    student = (StudentProfile.objects.select_related("user", "major", "school_class")
               .filter(student_number=student_number).first())
    if student is None:
        raise Http404
    settings_obj = resume_settings_for(student=student)
    if user.role == Role.ENTERPRISE:
        # Enterprises also see applicants' resumes once applications exist (enterprises issue).
        if not settings_obj.visible_to_enterprises:
            raise Http404
        return student, set(settings_obj.public_sections)
    if can_manage_student(user, student):
        return student, set(ALL_SECTIONS)
    raise Http404


def resumes_visible_to_enterprises():
    return (StudentProfile.objects.filter(resume_settings__visible_to_enterprises=True)
            .select_related("user", "major", "school_class", "resume_settings", "point_balance")
            .order_by("major__code", "student_number"))


def resume_context(*, student: StudentProfile, sections: set[str] | None = None) -> dict:
    """Everything the resume shows; sections not in `sections` are not even computed."""
    sections = set(ALL_SECTIONS) if sections is None else set(sections)
    settings_obj = resume_settings_for(student=student)
    ctx: dict = {"student": student, "settings": settings_obj, "sections": sections,
                 "name": student.user.name_for_display, "headline": settings_obj.headline}
    if ResumeSection.RADAR in sections:
        ctx["radar"] = competency_values.radar_for_student(student) or []
    if ResumeSection.GROWTH in sections:
        by_term = (PointEntry.objects.filter(student=student).values("term__code")
                   .annotate(total=Sum("amount")).order_by("term__start_year", "term__number"))
        ctx["growth"] = [{"term": row["term__code"] or "—", "points": row["total"]} for row in by_term]
        ctx["points_total"] = points.points_total_for_student(student=student)
    if ResumeSection.RANKING in sections:
        tier = rankings.current_tier(student=student)
        ctx["tier"] = tier
        ctx["tier_label"] = Tier(tier.tier).label
    if ResumeSection.AWARDS in sections:
        ctx["awards"] = list(CompetitionEntry.objects.filter(student=student, status=CompetitionEntry.Status.VERIFIED)
                             .select_related("competition").order_by("-competition__held_on"))
    # Filled by later issues (projects, internships, evaluations); empty until then.
    for later in (ResumeSection.PROJECTS, ResumeSection.INTERNSHIPS, ResumeSection.EVALUATIONS):
        if later in sections:
            ctx[later] = []
    ctx["section_labels"] = dict(ResumeSection.choices)
    return ctx


def radar_points(values: list[float], *, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    n = len(values)
    return [(cx + r * v * math.sin(2 * math.pi * i / n), cy - r * v * math.cos(2 * math.pi * i / n))
            for i, v in enumerate(values)]


def radar_svg(radar: list[dict], *, size: int = 320, compare: list[float] | None = None,
              title: str = "") -> str:
    """A self-contained SVG of the radar (no JavaScript), escaped labels. `compare`, when
    given, is drawn as a dashed outline under the student's polygon (e.g. the cohort average)."""
    from django.utils.html import escape

    if len(radar) < 3:
        return ""
    c, r = size / 2, size / 2 - 60
    label = f' aria-label="{escape(title)}"' if title else ""
    pad = 100  # room either side for labels anchored away from the centre
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-pad} 0 {size + 2 * pad} {size}" '
             f'class="radar-svg" role="img"{label}>']
    for level in (0.25, 0.5, 0.75, 1.0):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in radar_points([level] * len(radar), cx=c, cy=c, r=r))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ccd" stroke-width="1"/>')
    if compare is not None and len(compare) == len(radar):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in radar_points(list(compare), cx=c, cy=c, r=r))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#e8590c" stroke-width="1.5" '
                     f'stroke-dasharray="4 3" class="radar-compare"/>')
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in radar_points([d["value"] for d in radar], cx=c, cy=c, r=r))
    parts.append(f'<polygon points="{pts}" fill="rgba(59,125,221,.35)" stroke="#3b7ddd" stroke-width="2"/>')
    for (x, y), d in zip(radar_points([1.12] * len(radar), cx=c, cy=c, r=r), radar, strict=True):
        anchor = "start" if x > c + 5 else "end" if x < c - 5 else "middle"
        # Long (English) names wrap onto short lines; the percentage is the last line.
        lines = [*textwrap.wrap(d["label"], 18), f'{round(d["value"] * 100)}%']
        top = y - (len(lines) - 1) * 12 if y < c - 5 else y if y > c + 5 else y - (len(lines) - 1) * 6
        spans = "".join(f'<tspan x="{x:.1f}" y="{top + 12 * i:.1f}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        parts.append(f'<text font-size="11" text-anchor="{anchor}" dominant-baseline="middle">{spans}</text>')
    parts.append("</svg>")
    return "".join(parts)


def resume_pdf(*, student: StudentProfile, sections: set[str] | None = None) -> bytes:
    """The resume as PDF. Chinese text uses the CID font STSong-Light that reportlab
    ships (no font file needed); the radar is drawn as vector graphics."""
    from xml.sax.saxutils import escape

    from reportlab.graphics.shapes import Drawing, Polygon, String
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
            size = 80 * mm
            drawing = Drawing(size * 1.6, size)
            c, r = size / 2, size / 2 - 14 * mm
            cx = size * 0.8
            for level in (0.25, 0.5, 0.75, 1.0):
                pts = [v for p in radar_points([level] * len(radar), cx=cx, cy=c, r=r) for v in (p[0], size - p[1])]
                drawing.add(Polygon(pts, strokeColor=colors.HexColor("#ccccdd"), fillColor=None, strokeWidth=0.5))
            pts = [v for p in radar_points([d["value"] for d in radar], cx=cx, cy=c, r=r) for v in (p[0], size - p[1])]
            drawing.add(Polygon(pts, strokeColor=colors.HexColor("#3b7ddd"),
                                fillColor=colors.Color(0.23, 0.49, 0.87, alpha=0.35), strokeWidth=1.5))
            for (x, y), d in zip(radar_points([1.22] * len(radar), cx=cx, cy=c, r=r), radar, strict=True):
                drawing.add(String(x, size - y, f"{d['label']} {round(d['value'] * 100)}%", fontName=font,
                                   fontSize=8, textAnchor="middle"))
            story.append(drawing)
        else:
            story.append(Paragraph("—", muted))
    if ResumeSection.GROWTH in sections_present:
        story.append(Paragraph(escape(str(labels[ResumeSection.GROWTH])), h2))
        rows = [["学期 Term", "积分 Points"]] + [[g["term"], str(g["points"])] for g in ctx["growth"]]
        rows.append(["合计 Total", str(ctx["points_total"])])
        table = Table(rows, colWidths=[60 * mm, 30 * mm])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                                   ("GRID", (0, 0), (-1, -1), 0.3, colors.lightgrey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3fb"))]))
        story.append(table)
    if ResumeSection.RANKING in sections_present:
        tier = ctx["tier"]
        story.append(Paragraph(escape(str(labels[ResumeSection.RANKING])), h2))
        story.append(Paragraph(escape(f"{ctx['tier_label']} · 年级排名 {tier.rank}/{tier.population} · "
                                      f"百分位 {tier.percentile}%"), body))
    if ResumeSection.AWARDS in sections_present:
        story.append(Paragraph(escape(str(labels[ResumeSection.AWARDS])), h2))
        for award in ctx["awards"]:
            story.append(Paragraph(escape(f"{award.competition.held_on:%Y-%m} {award.competition.name} · "
                                          f"{award.competition.get_level_display()} · {award.get_rank_display()}"), body))
        if not ctx["awards"]:
            story.append(Paragraph("—", muted))
    for later in (ResumeSection.PROJECTS, ResumeSection.INTERNSHIPS, ResumeSection.EVALUATIONS):
        if later in sections_present:
            story.append(Paragraph(escape(str(labels[later])), h2))
            story.append(Paragraph("—", muted))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(escape(f"Chanjiao · {timezone.localdate():%Y-%m-%d}"), muted))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"{ctx['name']} resume", author=ctx["name"],
                            leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm)
    doc.build(story)
    return buffer.getvalue()
