"""A hand-built school for the dashboard tests: every figure can be counted by eye (YEAR = 2025).

Majors ec (classes A1 intake 2024: a0 a1 a2; A2 intake 2023: b0 b1; A0 intake 2019: old) and bd
(class B1 intake 2024: c0). Students on the rolls in 2025 (cohorts 2022–2025): 6 (ec 5, bd 1).

Awards in 2025 (verified prizes): a0 national first, b0 provincial third, c0 provincial honourable;
not counted: a1 national second (pending), c0 national participation, a2 school first (2024).
Evaluations finalised in 2025: a0 95, a1 80, c0 90 (excellent: ≥ 90) → 2/3; b0 99 in 2024 and an
open round do not count.
Projects delivered in 2025: P1 (E1, team a0 + teacher1, completed), P2 (E2, team c0 + a1, delivered);
P3 in progress and P4 delivered in 2024 do not count.
Teachers: t1 (on P1), t2 (consultancy 2025 for E4), t3 (consultancy 2024), t5 (nothing), t4 inactive
→ 2 of 4. Enterprises served in 2025: E1, E2 (projects), E3 (technical service) → 3; E4 only had a
consultancy. Cooperation courses 2025: 1 (v1 reviewed by an enterprise mentor; v2 by an industry
master only). Studio S1: a0 and c0 admitted, b0 only applied. Order class OC1 (ec, 2024, capacity 4):
a0, a2; OC2 (2015) out of range. Venture on P2's team registered 2025. Radar: a0 op 0.5, photo 0.7;
a1 op 0.3. Room R1 (10 h/week → 24,000 min) booked 2 h + 4 h in 2025 → 360/24000; R2 not in use."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from accounts.models import Organization, Role
from tests.factories import UserFactory
from tests.growth import factories as growth

YEAR = 2025


def _at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, 0, tzinfo=datetime.UTC)


@dataclass
class DashboardWorld:
    admin: object
    teachers: dict
    majors: dict
    classes: dict
    students: dict
    enterprises: dict
    objects: dict = field(default_factory=dict)


def build_world() -> DashboardWorld:
    from admin_portal.models import Booking, Room, ServiceRecord
    from evaluations.defaults import default_templates_ensure
    from evaluations.models import Result, Round
    from projects.models import OrderClass, OrderClassMember, Project, Studio, StudioMember, Venture
    from students.models import CompetencyAttainment, Competition, CompetitionEntry
    from teachers.models import Competency, Course
    from teachers.reform.models import CourseVersion, Reform, ReformReviewer
    from tests.projects import factories as pf

    admin = UserFactory(username="dw_admin", role=Role.SCHOOL_ADMIN)
    teachers = {f"t{i}": UserFactory(username=f"dw_t{i}", role=Role.TEACHER) for i in range(1, 6)}
    teachers["t4"].is_active = False
    teachers["t4"].save(update_fields=["is_active"])
    ec = growth.major("ec", ("op", "photo"))
    bd = growth.major("bd", ("clean",))
    classes = {
        "A1": growth.school_class(major_obj=ec, year=2024, code="A1", head_teacher=teachers["t1"]),
        "A2": growth.school_class(major_obj=ec, year=2023, code="A2"),
        "A0": growth.school_class(major_obj=ec, year=2019, code="A0"),
        "B1": growth.school_class(major_obj=bd, year=2024, code="B1"),
    }
    students = {}
    for key, klass in (("a0", "A1"), ("a1", "A1"), ("a2", "A1"), ("b0", "A2"), ("b1", "A2"), ("old", "A0"),
                       ("c0", "B1")):
        students[key] = growth.student(klass=classes[klass], number=f"DW-{key}", name=f"学生{key}")

    # competitions
    national = Competition.objects.create(name="国赛", level=Competition.Level.NATIONAL, held_on=datetime.date(YEAR, 5, 1))
    provincial = Competition.objects.create(name="省赛", level=Competition.Level.PROVINCIAL,
                                            held_on=datetime.date(YEAR, 6, 1))
    school = Competition.objects.create(name="校赛", level=Competition.Level.SCHOOL, held_on=datetime.date(YEAR - 1, 6, 1))
    V, P = CompetitionEntry.Status.VERIFIED, CompetitionEntry.Status.PENDING
    R = CompetitionEntry.Rank
    for comp, student, rank, status in ((national, "a0", R.FIRST, V), (national, "a1", R.SECOND, P),
                                        (provincial, "b0", R.THIRD, V), (national, "c0", R.PARTICIPATION, V),
                                        (provincial, "c0", R.HONOURABLE, V), (school, "a2", R.FIRST, V)):
        CompetitionEntry.objects.create(competition=comp, student=students[student], rank=rank, status=status)

    # evaluations
    template = next(iter(default_templates_ensure(actor=admin, major=ec).values()))
    subject_type = ContentType.objects.get_for_model(Organization)

    def rnd(student, final, finalised_at, status=Round.Status.FINALISED):
        r = Round.objects.create(template=template, subject_type=subject_type, subject_id=1, subject_kind="test",
                                 subject_title="t", student=students[student], status=status,
                                 deadline=finalised_at, finalised_at=finalised_at if status != Round.Status.OPEN else None)
        if final is not None:
            result = Result.objects.create(round=r, final=final)
            r.current_result = result
            r.save(update_fields=["current_result"])
        return r

    rnd("a0", 95, _at(YEAR, 3, 1))
    rnd("a1", 80, _at(YEAR, 4, 1), status=Round.Status.CLOSED)
    rnd("c0", 90, _at(YEAR, 5, 1))
    rnd("b0", 99, _at(YEAR - 1, 5, 1))
    rnd("b1", None, _at(YEAR, 5, 1), status=Round.Status.OPEN)

    # enterprises, projects, teams
    enterprises = {}
    for key in ("E1", "E2", "E3", "E4"):
        enterprises[key], _hr = pf.enterprise(code=f"dw-{key.lower()}")
    hr = UserFactory(username="dw_hr", role=Role.ENTERPRISE)
    t1_team = pf.team(students["a0"].user, teachers["t1"], name="T1")
    t2_team = pf.team(students["c0"].user, students["a1"].user, name="T2")

    def project(org, team, status, delivered_at):
        p = pf.project(enterprises[org], hr, status=status)
        p.selected_team = team
        p.delivered_at = delivered_at
        p.save(update_fields=["selected_team", "delivered_at"])
        return p

    project("E1", t1_team, Project.Status.COMPLETED, _at(YEAR, 4, 1))
    project("E2", t2_team, Project.Status.DELIVERED, _at(YEAR, 6, 1))
    project("E2", t2_team, Project.Status.IN_PROGRESS, None)
    project("E3", t1_team, Project.Status.COMPLETED, _at(YEAR - 1, 6, 1))

    # service records
    ServiceRecord.objects.create(kind=ServiceRecord.Kind.CONSULTANCY, teacher=teachers["t2"], enterprise=enterprises["E4"],
                                 provided_on=datetime.date(YEAR, 3, 3), title="咨询")
    ServiceRecord.objects.create(kind=ServiceRecord.Kind.CONSULTANCY, teacher=teachers["t3"], enterprise=enterprises["E1"],
                                 provided_on=datetime.date(YEAR - 1, 3, 3), title="咨询")
    ServiceRecord.objects.create(kind=ServiceRecord.Kind.TECHNICAL_SERVICE, enterprise=enterprises["E3"],
                                 provided_on=datetime.date(YEAR, 7, 7), title="技术服务")

    # course reform: cooperation courses
    course = Course.objects.create(code="DW-C1", name="网店运营", name_en="Shop", major=ec)
    industry = UserFactory(username="dw_master", role=Role.INDUSTRY)
    for number, reviewer in ((1, hr), (2, industry)):
        reform = Reform.objects.create(course=course, proposer=teachers["t1"], title=f"r{number}",
                                       credits=Decimal("2.0"), status=Reform.Status.APPROVED)
        ReformReviewer.objects.create(reform=reform, reviewer=reviewer)
        version = CourseVersion.objects.create(course=course, number=number, applies_from_intake=2024, reform=reform,
                                               credits=Decimal("2.0"))
        CourseVersion.objects.filter(pk=version.pk).update(created_at=_at(YEAR, 2, number))

    # studios, order classes, ventures
    studio = Studio.objects.create(code="dw-s1", skill_area=Studio.SkillArea.MARKETING, title="营销工作室")
    Studio.objects.filter(pk=studio.pk).update(created_at=_at(YEAR - 1, 9, 1))
    for student, status in (("a0", StudioMember.Status.ADMITTED), ("c0", StudioMember.Status.ADMITTED),
                            ("b0", StudioMember.Status.APPLIED)):
        m = StudioMember.objects.create(studio=studio, user=students[student].user, role=StudioMember.Role.STUDENT,
                                        status=status)
        StudioMember.objects.filter(pk=m.pk).update(created_at=_at(YEAR, 2, 1))
    StudioMember.objects.create(studio=studio, user=teachers["t1"], role=StudioMember.Role.LEAD,
                                status=StudioMember.Status.ADMITTED)
    oc1 = OrderClass.objects.create(title="订单班", enterprise=enterprises["E1"], major=ec, intake_year=2024, capacity=4,
                                    criteria="c", created_by=hr)
    OrderClass.objects.create(title="旧订单班", enterprise=enterprises["E1"], major=bd, intake_year=2015, capacity=10,
                              criteria="c", created_by=hr)
    for student in ("a0", "a2"):
        OrderClassMember.objects.create(order_class=oc1, student=students[student])
    venture = Venture.objects.create(team=t2_team, business="直播带货", mentor=hr)
    Venture.objects.filter(pk=venture.pk).update(registered_at=_at(YEAR, 3, 1))

    # radar
    op = Competency.objects.get(major=ec, code="op")
    photo = Competency.objects.get(major=ec, code="photo")
    for student, comp, value in (("a0", op, 0.5), ("a0", photo, 0.7), ("a1", op, 0.3)):
        CompetencyAttainment.objects.create(student=students[student], competency=comp, attainment=value)

    # rooms
    r1 = Room.objects.create(code="r1", name="实训室1", weekly_hours=10)
    r2 = Room.objects.create(code="r2", name="实训室2", weekly_hours=10, is_active=False)
    for room, start, hours in ((r1, _at(YEAR, 3, 2, 8), 2), (r1, _at(YEAR, 3, 3, 8), 4), (r2, _at(YEAR, 3, 2, 8), 3),
                               (r1, _at(YEAR - 1, 3, 2, 8), 5)):
        Booking.objects.create(room=room, booked_by=teachers["t1"], school_class=classes["A1"], starts_at=start,
                               ends_at=start + datetime.timedelta(hours=hours), minutes=hours * 60)
    return DashboardWorld(admin=admin, teachers=teachers, majors={"ec": ec, "bd": bd}, classes=classes,
                          students=students, enterprises=enterprises, objects={"room": r1, "studio": studio})


def more_students(n: int, *, prefix: str) -> None:
    """n more students with awards, evaluations and attainments (for the constant-query checks)."""
    from students.models import Competition, CompetitionEntry

    comp = Competition.objects.filter(level=Competition.Level.NATIONAL).first()
    klass = growth.school_class(major_obj=growth.major("ec", ("op", "photo")), year=2024, code=f"{prefix}-K")
    for i in range(n):
        s = growth.student(klass=klass, number=f"{prefix}{i:04d}")
        CompetitionEntry.objects.create(competition=comp, student=s, rank=CompetitionEntry.Rank.FIRST,
                                        status=CompetitionEntry.Status.VERIFIED)

