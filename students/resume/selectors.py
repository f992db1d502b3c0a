"""Reads of the visual resume: what a viewer may see, and everything a resume shows,
including the sections higher apps contribute (`RESUME_SECTIONS`, see
docs/architecture.md)."""

from __future__ import annotations

from django.db.models import Sum
from django.http import Http404

from accounts.models import Role
from accounts.navigation import project_app_attribute

from ..competitions.models import CompetitionEntry
from ..permissions import can_manage_student
from ..points.models import PointEntry
from ..points.selectors import points_total_for_student
from ..profiles.models import StudentProfile
from ..radar.selectors import radar_for_student
from ..radar.svg import radar_svg
from ..rankings.models import Tier
from ..rankings.selectors import current_tier
from .models import ResumeSection, ResumeSettings
from .services import ALL_SECTIONS


def resume_settings_read(*, student: StudentProfile) -> ResumeSettings:
    """The student's resume settings for reading: the stored row, or the defaults
    unsaved — viewing a resume never writes (the row is created by the first edit)."""
    return ResumeSettings.objects.filter(student=student).first() or ResumeSettings(student=student)


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
    settings_obj = resume_settings_read(student=student)
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


def resume_sections_contributed(*, student: StudentProfile, sections: set[str], full: bool) -> list[dict]:
    """The sections higher apps add to the resume, in order. Each app lists
    `RESUME_SECTIONS = [(order, function(student) -> dict or None)]` in its panels.py; the
    dict names its "template" (rendered inside a card, with the dict as `section`), and
    may give "title", "section" (a ResumeSection value such as "internships": shown to
    others only when the student made that section public; without it, only the student
    and their staff see it) and "pdf_lines" (plain-text lines for the PDF)."""
    entries = sorted(project_app_attribute("panels", "RESUME_SECTIONS"), key=lambda entry: entry[0])
    out = []
    for _order, build in entries:
        item = build(student)
        if not item:
            continue
        key = item.get("section")
        if (key in sections) if key else full:
            out.append(item)
    return out


def resume_context(*, student: StudentProfile, sections: set[str] | None = None) -> dict:
    """Everything the resume shows; sections not in `sections` are not even computed."""
    full = sections is None
    sections = set(ALL_SECTIONS) if sections is None else set(sections)
    settings_obj = resume_settings_read(student=student)
    ctx: dict = {"student": student, "settings": settings_obj, "sections": sections,
                 "name": student.user.name_for_display, "headline": settings_obj.headline, "radar_svg": ""}
    if ResumeSection.RADAR in sections:
        radar = radar_for_student(student=student)
        ctx["radar"] = [{"code": a.code, "label": a.name, "value": a.attainment} for a in radar.axes]
        ctx["radar_svg"] = radar_svg(ctx["radar"])
    if ResumeSection.GROWTH in sections:
        by_term = (PointEntry.objects.filter(student=student).values("term__code")
                   .annotate(total=Sum("amount")).order_by("term__start_year", "term__number"))
        ctx["growth"] = [{"term": row["term__code"] or "—", "points": row["total"]} for row in by_term]
        ctx["points_total"] = points_total_for_student(student=student)
    if ResumeSection.RANKING in sections:
        tier = current_tier(student=student)
        ctx["tier"] = tier
        ctx["tier_label"] = Tier(tier.tier).label
    if ResumeSection.AWARDS in sections:
        ctx["awards"] = list(CompetitionEntry.objects.filter(student=student, status=CompetitionEntry.Status.VERIFIED)
                             .select_related("competition").order_by("-competition__held_on"))
    ctx["contributed"] = resume_sections_contributed(student=student, sections=sections, full=full)
    contributed_keys = {item.get("section") for item in ctx["contributed"]}
    # Sections higher apps fill (projects, internships, evaluations) show "nothing yet" until they do.
    ctx["placeholders"] = [key for key in (ResumeSection.PROJECTS, ResumeSection.INTERNSHIPS,
                                           ResumeSection.EVALUATIONS)
                           if key in sections and key not in contributed_keys]
    ctx["section_labels"] = dict(ResumeSection.choices)
    return ctx
