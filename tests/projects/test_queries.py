"""Every list page and list API runs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from projects.models import (
    Bid,
    GraduationDesign,
    GraduationTopic,
    OrderClass,
    OrderClassMember,
    SelectionApplication,
    SelectionOption,
    SelectionRound,
    Studio,
    StudioMember,
    Venture,
)
from teachers.models import Course
from tests.factories import UserFactory
from tests.growth import factories as growth
from tests.projects import factories as f

pytestmark = pytest.mark.django_db
_seq = itertools.count(1)


@pytest.fixture
def cast():
    org, hr = f.enterprise()
    admin = UserFactory(username="q_admin", role=Role.SCHOOL_ADMIN)
    teacher = UserFactory(username="q_teacher", role=Role.TEACHER)
    klass = growth.school_class(code="Q-1", year=2024)
    me = growth.student(klass=klass, number="Q0")
    course = Course.objects.create(code="Q602", name="毕业设计", major=klass.major)
    return {"org": org, "hr": hr, "admin": admin, "teacher": teacher, "klass": klass, "me": me, "course": course}


def add_rows(cast, n: int) -> None:
    for _ in range(n):
        i = next(_seq)
        s1, s2 = growth.student(klass=cast["klass"]), growth.student(klass=cast["klass"])
        team = f.team(cast["me"].user, s1.user, cast["teacher"])
        project = f.project(cast["org"], cast["hr"])
        Bid.objects.create(project=project, team=team, proposal="p", plan="p", submitted_by=cast["me"].user)
        f.project_in_progress(cast["org"], cast["hr"], team)
        studio = Studio.objects.create(code=f"q-{i}", skill_area="ai", title=f"S{i}")
        StudioMember.objects.create(studio=studio, user=s1.user, role="student", status="admitted")
        team.studio = studio
        team.save()
        Venture.objects.create(team=team, business="b", mentor=cast["teacher"])
        order_class = OrderClass.objects.create(enterprise=cast["org"], major=cast["klass"].major, intake_year=2024,
                                                capacity=3, criteria="c", title=f"OC{i}", created_by=cast["hr"])
        OrderClassMember.objects.create(order_class=order_class, student=s2)
        selection_round = SelectionRound.objects.create(
            kind="order_class", title=f"R{i}", major=cast["klass"].major, intake_year=2024,
            apply_deadline=timezone.now() + datetime.timedelta(days=1), created_by=cast["admin"])
        option = SelectionOption.objects.create(round=selection_round, capacity=2, order_class=order_class)
        SelectionApplication.objects.create(round=selection_round, option=option, student=cast["me"], student_rank=1)
        topic = GraduationTopic.objects.create(
            title=f"T{i}", description="d", major=cast["klass"].major, course=cast["course"],
            proposed_by=cast["teacher"], school_tutor=cast["teacher"], enterprise_tutor=cast["hr"], status="approved")
        GraduationDesign.objects.create(topic=topic, student=s1)


PAGES = [
    ("/projects/", ("admin", "me", "hr", "teacher")),
    ("/projects/list/", ("admin", "me", "hr")),
    ("/projects/studios/", ("admin",)),
    ("/projects/teams/", ("me",)),
    ("/projects/ventures/", ("admin",)),
    ("/projects/rounds/", ("admin", "me")),
    ("/projects/order-classes/", ("admin", "hr")),
    ("/projects/graduation/", ("admin", "teacher", "hr")),
    ("/api/v1/projects/", ("admin", "me")),
    ("/api/v1/bids/", ("admin", "me", "hr")),
    ("/api/v1/teams/", ("me",)),
    ("/api/v1/studios/", ("admin",)),
    ("/api/v1/selection-rounds/", ("admin", "me")),
    ("/api/v1/order-classes/", ("admin",)),
    ("/api/v1/graduation-topics/", ("admin", "teacher")),
]


def _user(cast, who):
    return cast[who].user if who == "me" else cast[who]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url,who", [(u, w) for u, roles in PAGES for w in roles])
def test_list_queries_do_not_grow_with_rows(cast, client, url, who):
    add_rows(cast, 2)
    client.force_login(_user(cast, who))
    client.get(url)  # warm per-process caches (content types, sessions)
    few = _count(client, url)
    add_rows(cast, 4)
    assert _count(client, url) == few


def test_detail_pages_queries_do_not_grow(cast, client):
    add_rows(cast, 2)
    studio = Studio.objects.first()
    project = cast["org"].enterprise_projects.filter(status="open").first()
    selection_round = SelectionRound.objects.first()
    client.force_login(cast["admin"])
    urls = [f"/projects/studios/{studio.pk}/", f"/projects/{project.pk}/", f"/projects/rounds/{selection_round.pk}/"]
    for url in urls:
        client.get(url)
    counts = [_count(client, url) for url in urls]
    for _ in range(4):  # more members, bids, applicants on the same objects
        s = growth.student(klass=cast["klass"])
        StudioMember.objects.create(studio=studio, user=s.user, role="student", status="admitted")
        Bid.objects.create(project=project, team=f.team(s.user), proposal="p", plan="p", submitted_by=s.user)
        SelectionApplication.objects.create(round=selection_round, option=selection_round.options.first(), student=s,
                                            student_rank=1)
    assert [_count(client, url) for url in urls] == counts
