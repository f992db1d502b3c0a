"""A course in three programs (intakes 2023–2025), graded students in each cohort,
its owner, an industry master and an enterprise mentor."""

from __future__ import annotations

from accounts.models import Role
from students.services import radar_recompute
from teachers.models import Course
from tests.factories import UserFactory
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

COURSES = [("RF1", 4, 1, {"a": 1, "b": 0.5}), ("RF2", 2, 1, {"b": 1}), ("RF3", 3, 2, {"c": 1})]


def reform_world(prefix: str = "rf") -> dict:
    owner = UserFactory(role=Role.TEACHER, username=f"{prefix}_owner")
    other_teacher = UserFactory(role=Role.TEACHER, username=f"{prefix}_other")
    master = UserFactory(role=Role.INDUSTRY, username=f"{prefix}_master")
    mentor = UserFactory(role=Role.ENTERPRISE, username=f"{prefix}_mentor")
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username=f"{prefix}_admin")
    major = make_major(competencies=("a", "b", "c"))
    programs, students = {}, {}
    for year in (2023, 2024, 2025):
        programs[year] = make_program(major, year, COURSES)
        school_class = make_class(major, year)
        term = make_term(year, 1)
        offerings = {code: make_offering(code, term, school_class, teacher=owner) for code, *_ in COURSES}
        cohort = [make_student(school_class, number=f"{year}7{prefix}{i:02d}"[:20]) for i in range(4)]
        for i, student in enumerate(cohort):
            grade(offerings["RF1"], student, 60 + 10 * i)
            grade(offerings["RF2"], student, 90 - 5 * i)
            grade(offerings["RF3"], student, 70)
        students[year] = cohort
    radar_recompute()  # the builders write grades directly: compute the stored radars once
    course = Course.objects.get(code="RF1")
    course.owners.add(owner)
    return {"owner": owner, "other_teacher": other_teacher, "master": master, "mentor": mentor, "admin": admin,
            "major": major, "programs": programs, "students": students, "course": course}


def new_content(**overrides) -> dict:
    content = {
        "objectives": "Run a live-stream shop\nAnalyse the shop's data",
        "modules": [{"title": "Shop set-up", "hours": 16, "content": "store front"},
                    {"title": "Data review", "hours": 8, "content": ""}],
        "components": [{"code": "tasks", "name": "Tasks", "weight": "40"},
                       {"code": "project", "name": "Project", "weight": "60"}],
        "weights": {"a": "0.5", "c": "1"},
        "credits": "5",
    }
    content.update(overrides)
    return content
