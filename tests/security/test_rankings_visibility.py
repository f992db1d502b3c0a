"""Competency rankings obey the radar's visibility (issue 17 §4 "Competency rankings
leak radar values"): ranks and percentiles for everyone in the group, attainment
values only where the reader may see that student's radar."""

from __future__ import annotations

import pytest

from accounts.models import Role
from teachers.models import Enrolment
from teachers.services import grade_set
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    major = make_major(code="vis", competencies=("a", "b"))
    make_program(major, 2024, [("VIS1", 2, 1, {"a": 1, "b": 1})])
    teacher, other_teacher = UserFactory(role=Role.TEACHER), UserFactory(role=Role.TEACHER)
    taught, untaught = make_class(major, 2024, code="vis-taught"), make_class(major, 2024, code="vis-untaught")
    me = make_student(taught, number="2024880001")
    classmate = make_student(taught, number="2024880002")
    stranger = make_student(untaught, number="2024880003")
    term = make_term()
    for klass, t in ((taught, teacher), (untaught, other_teacher)):
        offering = make_offering("VIS1", term, klass, teacher=t)
        for student, score in ((me, 61), (classmate, 87), (stranger, 93)):
            enrolment = Enrolment.objects.filter(offering=offering, student=student.user).first()
            if enrolment:
                grade_set(actor=t, enrolment=enrolment, score=str(score))
    return {"me": me, "classmate": classmate, "stranger": stranger, "teacher": teacher, "untaught": untaught}


def _values(client, query):
    response = client.get(f"/api/v1/rankings/?{query}")
    assert response.status_code == 200, response.content
    return {row["student_number"]: row for row in response.json()["results"]}, response.json()


def test_a_student_sees_ranks_of_others_but_only_their_own_value(client, cohort):
    client.force_login(cohort["me"].user)
    rows, body = _values(client, "scope=major&competency=a")
    assert set(rows) == {"2024880001", "2024880002", "2024880003"}
    assert rows["2024880001"]["value"] == pytest.approx(0.61)
    assert rows["2024880002"]["value"] is None and rows["2024880003"]["value"] is None
    assert rows["2024880003"]["rank"] == 1 and rows["2024880002"]["percentile"] is not None
    assert body["own"]["value"] == pytest.approx(0.61)
    page = client.get("/students/rankings/?scope=major&competency=a").content.decode()
    assert "0.87" not in page and "0.93" not in page
    # Points stay a public leaderboard.
    rows, _ = _values(client, "scope=major")
    assert all(row["value"] is not None for row in rows.values())


def test_a_teacher_sees_values_of_their_classes_only(client, cohort):
    client.force_login(cohort["teacher"])
    rows, _ = _values(client, "scope=major&major=vis&competency=a")
    assert rows["2024880002"]["value"] == pytest.approx(0.87)
    assert rows["2024880003"]["value"] is None
    # A class they do not teach is not theirs to rank, and answers as a class that does not exist.
    untaught = client.get("/api/v1/rankings/?scope=class&class=vis-untaught&competency=a")
    missing = client.get("/api/v1/rankings/?scope=class&class=no-such-class&competency=a")
    assert untaught.status_code == missing.status_code == 404
    assert untaught.json() == missing.json()
    untaught = client.get("/students/rankings/?scope=class&class=vis-untaught&competency=a")
    missing = client.get("/students/rankings/?scope=class&class=no-such-class&competency=a")
    assert untaught.status_code == missing.status_code == 200
    assert untaught.context["error"] == missing.context["error"] and untaught.context["error"]
    rows, _ = _values(client, "scope=class&class=vis-taught&competency=a")
    assert rows["2024880001"]["value"] == pytest.approx(0.61)


def test_a_school_administrator_sees_every_value(client, cohort):
    client.force_login(UserFactory(role=Role.SCHOOL_ADMIN))
    rows, _ = _values(client, "scope=major&major=vis&competency=a")
    assert rows["2024880003"]["value"] == pytest.approx(0.93)


@pytest.mark.parametrize("cohort_param", ["null", "abc", "0"])
def test_cohort_must_be_a_year(client, cohort, cohort_param):
    client.force_login(cohort["teacher"])
    response = client.get(f"/api/v1/rankings/?scope=cohort&major=vis&cohort={cohort_param}")
    assert response.status_code == 400


@pytest.mark.parametrize(("amount", "reason"), [
    ("2147483648", "big"), ("1e20", "big"), ("-1000000", "penalty"), ("1001", "a long enough reason"),
    ("500", "short"),
])
def test_points_grants_are_bounded_and_large_ones_need_a_reason(client, cohort, amount, reason):
    student = cohort["me"]
    client.force_login(UserFactory(role=Role.SCHOOL_ADMIN))
    response = client.post(f"/students/points/{student.student_number}/grant/", {"amount": amount, "reason": reason})
    assert response.status_code in (302, 400)
    from students.points.models import PointEntry, PointSource

    assert not PointEntry.objects.filter(student=student, source=PointSource.TEACHER_AWARD).exists()
    # The same endpoint grants a bounded amount with a reason, a competency and a current term.
    import datetime

    from teachers.models import Competency, Term

    today = datetime.date.today()
    Term.objects.create(code="now", start_year=today.year + 5, number=1,
                        starts_on=today - datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=60))
    competency = Competency.objects.filter(major=student.major).first()
    client.post(f"/students/points/{student.student_number}/grant/",
                {"amount": "500", "reason": "national competition first prize", "competency": competency.pk})
    assert PointEntry.objects.filter(student=student, amount=500).exists()
