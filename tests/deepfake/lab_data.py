"""Builders for the lab-report tests: a big-data class with the AI competency, a machine-learning
offering with grade components taught by a teacher, enrolled students, and real PDFs (reportlab)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

COMPONENTS = [
    {"code": "attendance", "name": "Attendance", "weight": "10"},
    {"code": "lab", "name": "Lab reports", "weight": "40"},
    {"code": "exam", "name": "Exam", "weight": "50"},
]


def pdf_bytes(pages: int = 2, text: str = "Experiment report") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for n in range(pages):
        c.drawString(72, 760, f"{text} — page {n + 1}")
        c.showPage()
    c.save()
    return buffer.getvalue()


def pdf_upload(data: bytes | None = None, name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, content_type="application/pdf")


def make_lab_offering(teacher, students, *, code: str = "lab"):
    """A big-data class (with the ml-ai competency), a machine-learning course weighted 1.0 on
    it in the class's program, an offering taught by ``teacher`` with COMPONENTS, and every
    student of ``students`` in the class and enrolled. Returns (offering, components by code)."""
    from students.models import StudentProfile
    from teachers.assessment.services import grade_components_set
    from teachers.models import (
        Competency,
        Course,
        CourseCompetencyWeight,
        Major,
        Program,
        ProgramCourse,
        SchoolClass,
        Term,
    )
    from teachers.services import offering_create

    major, _ = Major.objects.get_or_create(code=f"bd-{code}", defaults={"name": "大数据技术", "name_en": "Big data"})
    ai, _ = Competency.objects.get_or_create(major=major, code="ml-ai",
                                             defaults={"name": "机器学习与人工智能应用", "name_en": "ML & AI"})
    school_class = SchoolClass.objects.create(major=major, intake_year=2024, code=f"bd-{code}-1", name=f"BD {code}")
    for n, user in enumerate(students):
        StudentProfile.objects.create(user=user, student_number=f"{code.upper()}{n:03d}", major=major,
                                      school_class=school_class, intake_year=2024)
    term, _ = Term.objects.get_or_create(start_year=2025, number=2, defaults={
        "code": "2025-2026-2", "starts_on": date(2026, 2, 20), "ends_on": date(2026, 7, 10)})
    course = Course.objects.create(code=f"BD402{code}", name="机器学习", name_en="Machine learning", major=major)
    program = Program.objects.create(major=major, intake_year=2024, name="方案", name_en="Program")
    pc = ProgramCourse.objects.create(program=program, course=course, credits=Decimal("4"), semester=4)
    CourseCompetencyWeight.objects.create(program_course=pc, competency=ai, weight=Decimal("1"))
    offering = offering_create(actor=None, course=course, term=term, school_class=school_class, teacher=teacher)
    components = {c.code: c for c in grade_components_set(actor=teacher, offering=offering, components=COMPONENTS)}
    return offering, components, ai
