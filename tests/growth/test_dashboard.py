"""The student's home dashboard: what it shows is computed from the student's own
records, it costs a fixed number of queries, and an unlinked account gets a message."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from students.home.selectors import student_dashboard
from students.models import Competition, CompetitionEntry, ResumeSettings
from students.points import selectors as point_reads
from students.points import services as points
from students.radar.services import radar_recompute
from tests.factories import UserFactory
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = pytest.mark.django_db


def _cohort(n_others: int = 2):
    """One student (a=90, b=50, c=70) among classmates (a=60, b=80, c=70)."""
    major = make_major(competencies=("a", "b", "c"))
    make_program(major, 2024, [("D1", 2, 1, {"a": 1}), ("D2", 2, 1, {"b": 1}), ("D3", 2, 1, {"c": 1})])
    school_class = make_class(major, 2024)
    me = make_student(school_class)
    others = [make_student(school_class) for _ in range(n_others)]
    term = make_term()
    offerings = {code: make_offering(code, term, school_class) for code in ("D1", "D2", "D3")}
    for student, scores in [(me, (90, 50, 70))] + [(o, (60, 80, 70)) for o in others]:
        for code, score in zip(("D1", "D2", "D3"), scores, strict=True):
            grade(offerings[code], student, score)
    radar_recompute()
    return me, others


def test_dashboard_reads_the_students_own_records():
    me, others = _cohort()
    teacher = UserFactory(role=Role.TEACHER)
    points.points_grant(actor=teacher, student=me, source="teacher_award", amount=7, reason="Helped run the open day")
    points.points_grant(actor=teacher, student=others[0], source="teacher_award", amount=50, reason="Someone else")
    competition, second = (Competition.objects.create(name=name, level="provincial", held_on=datetime.date(2025, 5, 1))
                           for name in ("Provincial e-commerce skills", "Data analysis cup"))
    CompetitionEntry.objects.create(competition=competition, student=me, rank="first", status="verified")
    CompetitionEntry.objects.create(competition=second, student=me, rank="second", status="pending")
    CompetitionEntry.objects.create(competition=competition, student=others[0], rank="third", status="verified")

    d = student_dashboard(student=me)

    assert [round(a.attainment, 2) for a in d.radar.axes] == [0.9, 0.5, 0.7]
    assert d.strongest.name == d.radar.axes[0].name and d.strongest.gap == pytest.approx(0.9 - 0.7)
    assert d.weakest.name == d.radar.axes[1].name and d.weakest.gap == pytest.approx(0.5 - 0.7)
    assert d.radar.credits_completed == pytest.approx(6)
    assert d.area_percent == pytest.approx(100 * (0.9 * 0.5 + 0.5 * 0.7 + 0.7 * 0.9) / 3)
    assert d.points_total == point_reads.points_ledger_sum(student=me) >= 7
    assert d.recent_points[0].reason == "Helped run the open day"  # newest first
    assert "Someone else" not in [e.reason for e in d.recent_points]
    assert (d.awards_verified, d.awards_pending) == (1, 1)
    assert d.position.population == 3
    assert d.resume_shared is False and d.resume_visible_to_enterprises is False
    # The radar picture carries both polygons: the student's and the dashed cohort outline.
    assert d.radar_svg.count("<polygon") == 4 + 2 and 'class="radar-compare"' in d.radar_svg


def test_a_student_ahead_everywhere_is_pointed_at_their_lowest_competence():
    me, _ = _cohort(0)  # alone: the cohort average is the student, no gap anywhere
    d = student_dashboard(student=me)
    assert d.weakest.name == d.radar.axes[1].name  # b = 0.5, the lowest attainment


def test_dashboard_does_not_create_resume_settings_on_read():
    me, _ = _cohort(0)
    student_dashboard(student=me)
    assert not ResumeSettings.objects.filter(student=me).exists()


def test_home_page_renders_the_dashboard(client):
    me, _ = _cohort()
    client.force_login(me.user)
    response = client.get(reverse("students:home"))
    assert response.status_code == 200
    html = response.content.decode()
    for block in ("dashboard-stats", "dashboard-radar", "dashboard-points", "dashboard-resume", "dashboard-lab"):
        assert f'id="{block}"' in html
    assert re.search(r'id="stat-rank">\d+<span[^>]*> / 3</span>', html)
    assert "<svg" in html and "radar-compare" in html


def test_home_page_query_count_does_not_grow_with_the_cohort(client):
    def queries_for(n_others):
        me, _ = _cohort(n_others)
        client.force_login(me.user)
        client.get(reverse("students:home"))  # warm: first read may fill caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("students:home")).status_code == 200
        return len(ctx.captured_queries)

    small = queries_for(2)
    large = queries_for(30)
    assert large == small, (small, large)


def test_unlinked_student_account_gets_a_message_not_a_404(client):
    user = UserFactory(role=Role.STUDENT, username="not_linked_yet")
    client.force_login(user)
    response = client.get(reverse("students:home"))
    assert response.status_code == 200
    assert 'id="no-student-record"' in response.content.decode()
