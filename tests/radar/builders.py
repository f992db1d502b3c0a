"""Small curricula for tests: a major with competencies, a program with weighted
courses, a class with students, offerings and grades."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from accounts.models import Role
from students.models import StudentProfile
from teachers.models import (
    Competency,
    Course,
    CourseCompetencyWeight,
    CourseOffering,
    Enrolment,
    Major,
    Program,
    ProgramCourse,
    SchoolClass,
    Term,
)
from tests.factories import UserFactory

_seq = itertools.count(1)


def make_major(code: str | None = None, competencies=("a", "b", "c")) -> Major:
    n = next(_seq)
    major = Major.objects.create(code=code or f"major-{n}", name=f"专业{n}", name_en=f"Major {n}")
    for order, c in enumerate(competencies):
        Competency.objects.create(major=major, code=c, name=f"能力{c}", name_en=f"Competency {c}", order=order)
    return major


def make_term(year: int = 2024, number: int = 1) -> Term:
    term, _ = Term.objects.get_or_create(
        start_year=year, number=number,
        defaults={"code": f"{year}-{year + 1}-{number}", "starts_on": datetime.date(year, 9, 1),
                  "ends_on": datetime.date(year + 1, 1, 20)},
    )
    return term


def make_program(major: Major, intake_year: int, courses: list[tuple[str, float, int, dict[str, float]]]) -> Program:
    """courses: [(code, credits, semester, {competency code: weight})]"""
    program = Program.objects.create(major=major, intake_year=intake_year, name=f"{major.name}{intake_year}")
    comps = {c.code: c for c in major.competencies.all()}
    for code, credits, semester, weights in courses:
        course, _ = Course.objects.get_or_create(code=code, defaults={"name": f"课程{code}", "name_en": f"Course {code}",
                                                                      "major": major})
        pc = ProgramCourse.objects.create(program=program, course=course, credits=Decimal(str(credits)), semester=semester)
        for comp, weight in weights.items():
            CourseCompetencyWeight.objects.create(program_course=pc, competency=comps[comp], weight=Decimal(str(weight)))
    return program


def make_class(major: Major, intake_year: int, head_teacher=None, code: str | None = None) -> SchoolClass:
    n = next(_seq)
    return SchoolClass.objects.create(major=major, intake_year=intake_year, code=code or f"class-{n}",
                                      name=f"班级{n}", head_teacher=head_teacher)


def make_student(school_class: SchoolClass, user=None, number: str | None = None) -> StudentProfile:
    n = next(_seq)
    user = user or UserFactory(role=Role.STUDENT, username=f"stu{n}")
    return StudentProfile.objects.create(
        user=user, student_number=number or f"{school_class.intake_year}9{n:05d}", major=school_class.major,
        school_class=school_class, intake_year=school_class.intake_year,
    )


def make_offering(code: str, term: Term, school_class: SchoolClass, teacher=None, enrol=True) -> CourseOffering:
    offering = CourseOffering.objects.create(course=Course.objects.get(code=code), term=term,
                                             school_class=school_class, teacher=teacher)
    if enrol:
        Enrolment.objects.bulk_create([Enrolment(offering=offering, student_id=p.user_id)
                                       for p in StudentProfile.objects.filter(school_class=school_class)])
    return offering


def grade(offering: CourseOffering, student: StudentProfile, score) -> Enrolment:
    enrolment, _ = Enrolment.objects.get_or_create(offering=offering, student_id=student.user_id)
    enrolment.score = None if score is None else Decimal(str(score))
    enrolment.save()
    return enrolment


def radar_world(world) -> dict:
    """For the permission matrix: world.users["student"] in a class that
    world.users["teacher"] teaches; other_student in another class."""
    def build():
        major = make_major()
        make_program(major, 2024, [("MX1", 2, 1, {"a": 1, "b": 0.5}), ("MX2", 3, 1, {"c": 1})])
        term = make_term()
        own_class = make_class(major, 2024)
        other_class = make_class(major, 2024)
        student = make_student(own_class, user=world.users["student"])
        make_student(other_class, user=world.users["other_student"])
        offering = make_offering("MX1", term, own_class, teacher=world.users["teacher"])
        make_offering("MX2", term, other_class, teacher=world.users["other_teacher"])
        grade(offering, student, 80)
        return {"student": student, "class": own_class, "offering": offering}

    return world.once("radar", build)
