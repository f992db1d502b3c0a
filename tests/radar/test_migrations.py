"""A database seeded before the architecture pass migrates cleanly and keeps its data.

The test rolls the students app back to its previous schema (0008), seeds it through
the historical models of that schema (a student with grades, the stored radar, a
ledger, alumni), migrates forward to the latest schema and checks that every row is
still there, that the new data migrations did what they promise, and that the code of
today runs on the migrated data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

PREVIOUS = ("students", "0008_point_reason_params")

pytestmark = pytest.mark.django_db(transaction=True)


def _seed_previous_schema(old_apps) -> dict:
    User = old_apps.get_model("accounts", "User")
    Major = old_apps.get_model("teachers", "Major")
    Competency = old_apps.get_model("teachers", "Competency")
    Term = old_apps.get_model("teachers", "Term")
    SchoolClass = old_apps.get_model("teachers", "SchoolClass")
    Program = old_apps.get_model("teachers", "Program")
    Course = old_apps.get_model("teachers", "Course")
    ProgramCourse = old_apps.get_model("teachers", "ProgramCourse")
    Weight = old_apps.get_model("teachers", "CourseCompetencyWeight")
    Offering = old_apps.get_model("teachers", "CourseOffering")
    Enrolment = old_apps.get_model("teachers", "Enrolment")
    StudentProfile = old_apps.get_model("students", "StudentProfile")
    Attainment = old_apps.get_model("students", "CompetencyAttainment")
    PointEntry = old_apps.get_model("students", "PointEntry")
    PointBalance = old_apps.get_model("students", "PointBalance")
    Alumnus = old_apps.get_model("students", "Alumnus")

    major = Major.objects.create(code="mig", name="迁移", name_en="Migration")
    comps = [Competency.objects.create(major=major, code=f"m{i}", name=f"能力{i}", order=i) for i in range(3)]
    term = Term.objects.create(code="2024-2025-1", start_year=2024, number=1, starts_on=datetime.date(2024, 9, 1),
                               ends_on=datetime.date(2025, 1, 20))
    school_class = SchoolClass.objects.create(major=major, intake_year=2024, code="MIG-1", name="迁移1班")
    program = Program.objects.create(major=major, intake_year=2024, name="迁移方案")
    course = Course.objects.create(code="MIG101", name="迁移课", major=major)
    pc = ProgramCourse.objects.create(program=program, course=course, credits=Decimal("2"), semester=1)
    for comp in comps:
        Weight.objects.create(program_course=pc, competency=comp, weight=Decimal("1"))
    offering = Offering.objects.create(course=course, term=term, school_class=school_class)
    user = User.objects.create(username="mig_student", role="student")
    Enrolment.objects.create(offering=offering, student=user, score=Decimal("80"))
    student = StudentProfile.objects.create(user=user, student_number="MIG0001", major=major,
                                            school_class=school_class, intake_year=2024)
    for comp in comps:
        Attainment.objects.create(student=student, competency=comp, attainment=0.8, earned=160, possible=200)
    PointEntry.objects.create(student=student, source="course_grade", amount=7, term=term, reason="MIG101: 80",
                              reference="enrolment:1:v1")
    PointBalance.objects.create(student=student, total=7)
    Alumnus.objects.create(code="A-MIG-00001", major=major, graduation_year=2023, attainment={"m0": 0.7},
                           points=200, rank_percentile=50.0, employed=True, job_family="operations")
    return {"student": student.pk, "term": term.pk, "competencies": [c.pk for c in comps]}


def test_a_database_seeded_with_the_previous_schema_migrates_and_keeps_its_data():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([PREVIOUS])
    executor.loader.build_graph()
    seeded = _seed_previous_schema(executor.loader.project_state([PREVIOUS]).apps)

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from students.models import (
        Alumnus,
        CompetencyAttainment,
        PointBalance,
        PointEntry,
        StudentProfile,
        TermAttainment,
    )
    from students.radar.selectors import radar_history
    from students.radar.services import radar_term_close
    from teachers.models import Term

    student = StudentProfile.objects.get(pk=seeded["student"])
    assert student.student_number == "MIG0001"
    assert CompetencyAttainment.objects.filter(student=student).count() == 3
    assert PointBalance.objects.get(student=student).total == 7
    assert PointEntry.objects.get(student=student).reason == "MIG101: 80"
    # Every alumnus that existed came from the demo generator: the migration marks them so.
    assert Alumnus.objects.get(code="A-MIG-00001").is_demo is True
    # The new snapshot table starts empty and today's code fills it from the migrated data.
    assert TermAttainment.objects.count() == 0
    assert radar_term_close(term=Term.objects.get(pk=seeded["term"])) == 3
    history = radar_history(student=student)
    assert [round(v, 3) for v in history[0].values] == [0.8, 0.8, 0.8] and history[0].frozen
