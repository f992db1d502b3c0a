"""A small evaluation world: a major with competencies, a class of students in a practice
course offering, the standard templates, and raters of every party."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Role, User
from evaluations import services
from evaluations.defaults import default_templates_ensure
from evaluations.models import Invitation, Party, Round, RubricTemplate
from students.models import StudentProfile
from teachers.models import Competency, Course, CourseOffering, Enrolment, Major, SchoolClass, Term
from tests.factories import UserFactory

_seq = itertools.count(1)


@dataclass
class EvalWorld:
    major: Major
    school_class: SchoolClass
    offering: CourseOffering
    students: list[StudentProfile]
    teacher: User
    mentor: User
    master: User
    admin: User
    templates: dict[str, RubricTemplate]
    rounds: list[Round] = field(default_factory=list)

    def invitation(self, round_: Round, user: User) -> Invitation:
        return Invitation.objects.get(round=round_, rater=user)

    def round_of(self, student: StudentProfile) -> Round:
        return Round.objects.get(student=student, subject_id=self.offering.pk)


def build_world(*, students: int = 5, teacher: User | None = None, mentor: User | None = None,
                master: User | None = None, admin: User | None = None, student_users: list[User] | None = None,
                prefix: str = "ev") -> EvalWorld:
    n = next(_seq)
    major = Major.objects.create(code=f"{prefix}-major-{n}", name=f"电商{n}", name_en=f"E-commerce {n}")
    for order, code in enumerate(("operation", "photo", "design", "media", "marketing", "data", "service")):
        Competency.objects.create(major=major, code=code, name=f"能力{code}", name_en=code.title(), order=order)
    teacher = teacher or UserFactory(username=f"{prefix}_teacher{n}", role=Role.TEACHER)
    mentor = mentor or UserFactory(username=f"{prefix}_mentor{n}", role=Role.ENTERPRISE)
    master = master or UserFactory(username=f"{prefix}_master{n}", role=Role.INDUSTRY)
    admin = admin or UserFactory(username=f"{prefix}_admin{n}", role=Role.SCHOOL_ADMIN)
    klass = SchoolClass.objects.create(major=major, intake_year=2024, code=f"{prefix}-class-{n}", name=f"电商{n}班",
                                       head_teacher=teacher)
    term, _ = Term.objects.get_or_create(start_year=2025, number=1, defaults={
        "code": "2025-2026-1", "starts_on": datetime.date(2025, 9, 1), "ends_on": datetime.date(2026, 1, 20)})
    course = Course.objects.create(code=f"{prefix.upper()}P{n}", name=f"网店运营实训{n}", name_en=f"Shop practice {n}",
                                   major=major, kind=Course.Kind.PRACTICE)
    offering = CourseOffering.objects.create(course=course, term=term, school_class=klass, teacher=teacher)
    users = list(student_users or [])
    while len(users) < students:
        users.append(UserFactory(username=f"{prefix}_s{n}_{len(users)}", role=Role.STUDENT))
    profiles = []
    for i, user in enumerate(users):
        profiles.append(StudentProfile.objects.create(user=user, student_number=f"{prefix.upper()}{n:03d}{i:03d}",
                                                      major=major, school_class=klass, intake_year=2024))
        Enrolment.objects.create(offering=offering, student=user)
    templates = default_templates_ensure(actor=admin, major=major)
    return EvalWorld(major=major, school_class=klass, offering=offering, students=profiles, teacher=teacher,
                     mentor=mentor, master=master, admin=admin, templates=templates)


def open_rounds(world: EvalWorld, *, template: str = "four", days: int = 7, peers: int = 3,
                with_master: bool = True, open_now: bool = True) -> list[Round]:
    raters = {Party.TEACHER: [world.teacher.pk], Party.MENTOR: [world.mentor.pk]}
    if with_master:
        raters[Party.MASTER] = [world.master.pk]
    world.rounds = services.rounds_create(
        actor=world.teacher, kind="course_offering", subject_id=world.offering.pk,
        template=world.templates[template], deadline=timezone.now() + datetime.timedelta(days=days),
        raters=raters, peers_per_student=peers, open_now=open_now)
    return world.rounds


def uniform_scores(template: RubricTemplate, value: float) -> dict[str, float]:
    scores = {}
    for d in template.dimensions.all():
        criteria = list(d.criteria.all())
        for c in criteria:
            scores[f"{d.code}.{c.code}"] = value
        if not criteria:
            scores[d.code] = value
    return scores


def submit(world: EvalWorld, round_: Round, user: User, value: float, **kwargs):
    invitation = world.invitation(round_, user)
    return services.submission_create(actor=user, invitation_id=invitation.pk,
                                      scores=uniform_scores(round_.template, value), **kwargs)
