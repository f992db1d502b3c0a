"""Factories for growth tests: majors, classes, students with profiles."""

from __future__ import annotations

import datetime
import itertools

from accounts.models import Role
from students.models import StudentProfile
from teachers.models import Competency, Major, SchoolClass, Term
from tests.factories import UserFactory

_seq = itertools.count(1)


def major(code: str = "ecommerce", competencies: tuple[str, ...] = ("operation", "photo", "data")) -> Major:
    m, _ = Major.objects.get_or_create(code=code, defaults={"name": f"专业{code}", "name_en": code})
    for i, c in enumerate(competencies):
        Competency.objects.get_or_create(major=m, code=c, defaults={"name": f"能力{c}", "name_en": c, "order": i})
    return m


def school_class(*, major_obj: Major | None = None, year: int = 2024, code: str | None = None, head_teacher=None):
    major_obj = major_obj or major()
    code = code or f"{major_obj.code}-{year}-{next(_seq):02d}"
    obj, _ = SchoolClass.objects.get_or_create(
        code=code, defaults={"major": major_obj, "intake_year": year, "name": code, "head_teacher": head_teacher}
    )
    return obj


def term(year: int = 2024, number: int = 1) -> Term:
    obj, _ = Term.objects.get_or_create(
        start_year=year, number=number,
        defaults={"code": f"{year}-{year + 1}-{number}", "starts_on": datetime.date(year, 9, 1),
                  "ends_on": datetime.date(year + 1, 1, 20)},
    )
    return obj


def student(*, user=None, klass: SchoolClass | None = None, number: str | None = None, name: str | None = None):
    klass = klass or school_class()
    n = next(_seq)
    if user is None:
        user = UserFactory(username=f"gs{n}", role=Role.STUDENT, display_name=name or f"学生{n}",
                           display_name_en=f"Student {n}")
    return StudentProfile.objects.create(
        user=user, student_number=number or f"S{n:06d}", major=klass.major, school_class=klass,
        intake_year=klass.intake_year,
    )
