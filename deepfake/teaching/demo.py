"""Demo: teacher_demo teaches “Applied deep learning” (weighted on the AI competency) to a big-data
class this term, with a “Lab reports” grade component; experiments 1 and 3 are attached to it;
one student's report awaits grading and another's is graded (written into the gradebook)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role

from .models import LabAssignment, LabReport

COURSE_CODE = "BD501"  # 深度学习应用 Applied deep learning: ml-ai 1.0 in the demo programs
COMPONENTS = [
    {"code": "attendance", "name": "考勤 Attendance", "weight": "10"},
    {"code": "tasks", "name": "过程任务 Process tasks", "weight": "20"},
    {"code": "lab", "name": "实验报告 Lab reports", "weight": "30"},
    {"code": "exam", "name": "考试 Exam", "weight": "40"},
]


def report_pdf(*, student_name: str, title: str, findings: list[str]) -> bytes:
    """A short lab report as PDF (reportlab's CID font for Chinese, no font file needed)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    h = ParagraphStyle("h", fontName=font, fontSize=16, leading=22)
    body = ParagraphStyle("b", fontName=font, fontSize=10.5, leading=15)
    buffer = io.BytesIO()
    story = [Paragraph(escape(title), h), Paragraph(escape(student_name), body), Spacer(1, 12)]
    story += [Paragraph(escape(line), body) for line in findings]
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def _offering(ctx, teacher):
    from teachers.assessment.services import grade_components_set
    from teachers.models import Course, CourseOffering, SchoolClass
    from teachers.selectors import term_current
    from teachers.services import offering_create

    course = Course.objects.filter(code=COURSE_CODE).first()
    term = term_current()
    school_class = (SchoolClass.objects.filter(major__code="bigdata").order_by("-intake_year", "code")
                    .filter(intake_year__lte=2024).first())
    if course is None or term is None or school_class is None:
        return None
    offering = CourseOffering.objects.filter(course=course, term=term, school_class=school_class).first()
    if offering is None:
        offering = offering_create(actor=teacher, course=course, term=term, school_class=school_class, teacher=teacher)
    if not offering.components.exists():
        grade_components_set(actor=offering.teacher or teacher, offering=offering, components=COMPONENTS)
    return offering


def seed(ctx) -> None:
    from teachers.models import Enrolment

    from . import services

    teacher = ctx.demo_users.get(Role.TEACHER)
    if teacher is None:
        return
    offering = _offering(ctx, teacher)
    if offering is None or offering.teacher_id is None:
        ctx.log("deepfake: no lab work (no big-data class or course BD501 this term)")
        return
    teacher = offering.teacher
    components = {c.code: c for c in offering.components.all()}
    component = components.get("lab") or components.get("tasks") or next(iter(components.values()))
    assignments = {}
    for guide, days in (("data", None), ("cnn", 14)):
        assignment = LabAssignment.objects.filter(guide=guide, offering=offering).first()
        if assignment is None:
            assignment = services.assignment_attach(
                actor=teacher, guide=guide, component=component,
                due_at=timezone.now() + timedelta(days=days) if days else None,
                instructions="按指导完成实验，提交 PDF 报告（含图表和结论）。"
                             "Follow the guide and submit a PDF report with your figures and conclusions.")
        assignments[guide] = assignment
    enrolled = list(Enrolment.objects.filter(offering=offering).select_related("student")
                    .order_by("student__username")[:2])
    if len(enrolled) < 2 or LabReport.objects.filter(assignment=assignments["data"]).exists():
        return
    graded_by, waiting = enrolled[0].student, enrolled[1].student
    for student in (graded_by, waiting):
        data = report_pdf(student_name=student.name_for_display, title="实验 1 · 数据 Experiment 1 · The data", findings=[
            "真实 721 张（160 px JPEG），DCGAN 667 张（128 px JPEG），StyleGAN3 200 张（256 px PNG）。",
            "Real 721 (160 px JPEG), DCGAN 667 (128 px JPEG), StyleGAN3 200 (256 px PNG).",
            "YuNet 在全部 1,112 张训练图片中找到人脸；对齐后三个来源的裁剪图框定一致。",
            "YuNet found a face in all 1,112 training images; after alignment the crops of the three sources "
            "are framed alike. Formats differ by source, so every image is normalised the same way first."])
        services.report_submit(actor=student, assignment=assignments["data"],
                               uploaded_file=SimpleUploadedFile("report-experiment-1.pdf", data))
    graded = LabReport.objects.get(assignment=assignments["data"], student=graded_by)
    services.report_grade(actor=teacher, report=graded, score="88",
                          feedback="数据摘要完整，对格式捷径的分析到位。A complete summary and a sound point on format shortcuts.")
    ctx.log(f"deepfake: lab work for {offering} (2 guides, 2 reports: 1 graded, 1 awaiting grading)")
