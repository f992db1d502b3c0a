import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from students.models import PointSource, RankingEntry, RankingRefresh, Tier
from students.points import services as points
from students.profiles.selectors import student_profile_for_user
from students.rankings import selectors as rankings
from students.rankings import services as ranking_writes
from students.rankings.tasks import rankings_refresh_task
from teachers.models import Term
from tests.factories import UserFactory
from tests.growth import factories as f

pytestmark = pytest.mark.django_db


def _give(student, amount):
    if amount:
        points.points_grant(actor=None, student=student, source=PointSource.TEACHER_AWARD, amount=amount, reason="t")


@pytest.fixture
def small_school(django_capture_on_commit_callbacks):
    """Class A: 50, 30, 30, 10, 0; class B (same cohort): 40, 30. Numbers chosen so ties exist.
    The grants' on-commit callbacks run, so the (eager) refresh task fills the rank table."""
    klass_a = f.school_class(code="A")
    klass_b = f.school_class(code="B")
    values = {"S01": (klass_a, 50), "S02": (klass_a, 30), "S03": (klass_a, 30), "S04": (klass_a, 10),
              "S05": (klass_a, 0), "S06": (klass_b, 40), "S07": (klass_b, 30)}
    students = {}
    with django_capture_on_commit_callbacks(execute=True):
        for number, (klass, amount) in values.items():
            students[number] = f.student(klass=klass, number=number)
            _give(students[number], amount)
        # S05 has no grant (0 points): the refresh after the last grant still ranks it.
    assert RankingRefresh.objects.filter(metric="points").exists()
    return students


def test_positions_percentiles_and_deterministic_ties(small_school):
    group = rankings.RankingGroup("school", rankings.Q(), "")
    page = rankings.ranking_page(group=group, page=1, page_size=50)
    assert page.refreshed_at is not None  # from the rank table, not the live fallback
    got = [(e["student_number"], e["rank"], e["value"], e["percentile"]) for e in page.entries]
    # RANK(): ties share the rank and the next one skips; equal values listed by student number.
    # PERCENT_RANK(): share strictly below, over n - 1 = 6.
    assert got == [
        ("S01", 1, 50, 100.0), ("S06", 2, 40, 83.3), ("S02", 3, 30, 33.3), ("S03", 3, 30, 33.3),
        ("S07", 3, 30, 33.3), ("S04", 6, 10, 16.7), ("S05", 7, 0, 0.0),
    ]
    assert page.count == 7
    # Own position agrees with the page for every student.
    for e in page.entries:
        own = rankings.own_position(group=group, student=small_school[e["student_number"]])
        assert (own.rank, own.percentile, own.population) == (e["rank"], e["percentile"], 7)
    # Pages split deterministically inside a tie.
    p1 = rankings.ranking_page(group=group, page=1, page_size=3).entries
    p2 = rankings.ranking_page(group=group, page=2, page_size=3).entries
    assert [e["student_number"] for e in p1 + p2] == ["S01", "S06", "S02", "S03", "S07", "S04"]
    assert p2[0]["rank"] == 3


def test_class_scope_for_a_student_is_their_own_class(small_school):
    user = small_school["S07"].user
    group = rankings.ranking_group_for(user=user, scope="class")
    page = rankings.ranking_page(group=group)
    assert [(e["student_number"], e["rank"]) for e in page.entries] == [("S06", 1), ("S07", 2)]
    own = rankings.own_position(group=group, student=small_school["S07"])
    assert own.rank == 2 and own.percentile == 0.0


def test_tiers_from_percentile_and_term_snapshot(small_school):
    assert rankings.tier_for_percentile(100) == Tier.KING
    assert rankings.tier_for_percentile(96) == Tier.DIAMOND
    assert rankings.tier_for_percentile(0) == Tier.BRONZE
    # The grants carry no term; made before this term ends, they count towards it.
    today = timezone.localdate()
    term = Term.objects.create(code="2099-2100-1", start_year=2099, number=1, starts_on=today,
                               ends_on=today + datetime.timedelta(days=90))
    assert ranking_writes.tiers_assign_for_term(term=term) == 7
    ranking_writes.tiers_assign_for_term(term=term)  # idempotent
    tiers = dict(small_school["S01"].term_tiers.values_list("term__code", "tier"))
    assert tiers == {term.code: Tier.KING}
    assert small_school["S05"].term_tiers.get().tier == Tier.BRONZE


def test_api_shape_and_own_position(client, small_school):
    client.force_login(small_school["S02"].user)
    body = client.get(reverse("api:students-rankings"), {"scope": "cohort"}).json()
    assert body["count"] == 7 and body["value"] == "points"
    assert set(body["results"][0]) == {"rank", "student_number", "name", "value", "percentile"}
    assert body["own"]["rank"] == 3 and body["own"]["percentile"] == 33.3
    assert client.get(reverse("api:students-rankings"), {"scope": "galaxy"}).status_code == 400
    response = client.get(reverse("api:students-rankings"), {"scope": "class", "competency": "nope"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_competency"


def test_competency_rankings_use_the_radar_attainment(client, small_school):
    from students.models import CompetencyAttainment
    from teachers.models import Competency

    data = Competency.objects.get(code="data")
    for number, value in {"S03": 0.9, "S01": 0.4, "S06": 0.9}.items():
        CompetencyAttainment.objects.create(student=small_school[number], competency=data, attainment=value)
    rankings_refresh_task.delay(f"major:{data.major_id}")  # what a radar recompute asks for
    client.force_login(small_school["S01"].user)
    body = client.get(reverse("api:students-rankings"), {"scope": "school", "competency": "data"}).json()
    assert body["value"] == "data"
    top = [(r["student_number"], r["rank"], r["value"]) for r in body["results"][:4]]
    # Ranks for everyone; attainment values only where the radar would show them (own row).
    assert top == [("S03", 1, None), ("S06", 1, None), ("S01", 3, 0.4), ("S02", 4, None)]
    assert body["own"]["rank"] == 3
    assert body["results"][0]["percentile"] == 83.3  # 5 of the 6 others are strictly below


def test_staff_name_the_group(client, small_school):
    admin = UserFactory(username="rk_admin", role=Role.SCHOOL_ADMIN)
    client.force_login(admin)
    url = reverse("api:students-rankings")
    assert client.get(url, {"scope": "class"}).status_code == 400
    body = client.get(url, {"scope": "class", "class": "B"}).json()
    assert [r["student_number"] for r in body["results"]] == ["S06", "S07"]
    body = client.get(url, {"scope": "cohort", "major": "ecommerce", "cohort": "2024"}).json()
    assert body["count"] == 7


def _populate(n: int, klass):
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from students.models import PointBalance, StudentProfile

    start = StudentProfile.objects.count()
    users = User.objects.bulk_create([
        User(username=f"bulk{start + i}", role=Role.STUDENT, password=make_password(None), display_name=f"生{i}")
        for i in range(n)
    ])
    profiles = StudentProfile.objects.bulk_create([
        StudentProfile(user=u, student_number=f"B{start + i:06d}", major=klass.major, school_class=klass,
                       intake_year=klass.intake_year) for i, u in enumerate(users)
    ])
    PointBalance.objects.bulk_create([PointBalance(student=p, total=(i * 37) % 101) for i, p in enumerate(profiles)])


@pytest.mark.parametrize("path", ["page", "api"])
def test_query_count_does_not_grow_with_page_size_or_population(client, path):
    klass = f.school_class(code="Q")
    me = f.student(klass=klass)
    client.force_login(me.user)

    def count(page_size_param: int) -> int:
        if path == "page":
            url, params = reverse("students:rankings"), {"scope": "school"}
        else:
            url, params = reverse("api:students-rankings"), {"scope": "school", "page_size": page_size_param}
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _populate(5, klass)
    rankings_refresh_task.delay("points")
    small = count(5)
    _populate(300, klass)
    rankings_refresh_task.delay("points")
    large = count(200)
    assert large == small, (small, large)
    assert small <= 10  # session, user, profile, refresh time, page (names joined), own position


def test_ranking_page_renders_own_position(client, small_school):
    client.force_login(small_school["S01"].user)
    response = client.get(reverse("students:rankings"), {"scope": "school"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="own-position"' in html and "S07" in html


def _school_page():
    group = rankings.RankingGroup("school", rankings.Q(), "")
    return [(e["student_number"], e["rank"], e["value"]) for e in rankings.ranking_page(group=group).entries]


def test_a_grant_moves_the_student_after_the_refresh(small_school, django_capture_on_commit_callbacks):
    group = rankings.RankingGroup("school", rankings.Q(), "")
    assert _school_page()[-1] == ("S05", 7, 0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _give(small_school["S05"], 45)
    # Committed but not refreshed yet: the page and own position still show the old ranking.
    assert _school_page()[-1] == ("S05", 7, 0)
    assert rankings.own_position(group=group, student=small_school["S05"]).rank == 7
    before = RankingRefresh.objects.get(metric="points").refreshed_at
    for callback in callbacks:  # the on-commit request runs the (eager) refresh task
        callback()
    assert _school_page()[:3] == [("S01", 1, 50), ("S05", 2, 45), ("S06", 3, 40)]
    own = rankings.own_position(group=group, student=small_school["S05"])
    assert (own.rank, own.value, own.percentile) == (2, 45, 83.3)
    assert RankingRefresh.objects.get(metric="points").refreshed_at >= before
    # A reversal moves them back.
    with django_capture_on_commit_callbacks(execute=True):
        entry = small_school["S05"].point_entries.get()
        points.points_reverse(actor=None, entry=entry, reason="mistake")
    assert _school_page()[-1] == ("S05", 7, 0)


def test_refresh_writes_only_changed_rows_and_keeps_every_scope(small_school):
    # Only changed rows are written, on PostgreSQL and on SQLite (the embedded default).
    assert ranking_writes.rankings_refresh(metric="points").rows_changed == 0  # nothing changed since
    _give(small_school["S04"], 25)  # 10 -> 35: passes S02, S03, S07 (30)
    refresh = ranking_writes.rankings_refresh(metric="points")
    assert 0 < refresh.rows_changed <= 7
    row = RankingEntry.objects.get(metric="points", student=small_school["S04"])
    assert (row.school_rank, row.major_rank, row.cohort_rank, row.class_rank) == (3, 3, 3, 2)
    assert (row.school_position, row.class_position) == (3, 2)
    assert row.school_population == 7 and row.class_population == 5


def test_student_not_yet_in_the_table_gets_a_live_position(small_school):
    late = f.student(klass=small_school["S01"].school_class, number="S08")
    _give(late, 45)  # the on-commit refresh does not run in this test's transaction
    assert not RankingEntry.objects.filter(student=late).exists()
    own = rankings.own_position(group=rankings.RankingGroup("school", rankings.Q(), ""), student=late)
    assert (own.rank, own.population) == (2, 8)


def test_refresh_requests_are_debounced(small_school, django_capture_on_commit_callbacks, monkeypatch, settings):
    from django.core.cache import cache

    settings.RANKINGS_REFRESH_DELAY = 30
    calls = []
    monkeypatch.setattr(ranking_writes, "_tasks_run_eagerly", lambda: False)  # as with a real worker
    monkeypatch.setattr(rankings_refresh_task, "apply_async", lambda args, countdown: calls.append((args, countdown)))
    monkeypatch.setattr(ranking_writes, "_recently_enqueued", {})
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _give(small_school["S05"], 5)
        with django_capture_on_commit_callbacks(execute=True):
            _give(small_school["S04"], 5)
        assert calls == [(["points"], 30)]  # one delayed task for the burst
        ranking_writes.rankings_refresh_for_key(key="points")  # the task starts: the pending mark is cleared
        monkeypatch.setattr(ranking_writes, "_recently_enqueued", {})  # (a grant in another process)
        with django_capture_on_commit_callbacks(execute=True):
            _give(small_school["S05"], 5)
        assert calls == [(["points"], 30), (["points"], 30)]
    finally:
        cache.delete(ranking_writes._pending_key("points"))  # the cache outlives this test's transaction


def test_page_and_own_position_queries_are_index_lookups(small_school, django_assert_num_queries):
    group = rankings.RankingGroup("school", rankings.Q(), "")
    with django_assert_num_queries(2):  # refresh time, page with names
        rankings.ranking_page(group=group, page=1, page_size=3)
    with django_assert_num_queries(3):  # past the end: + group size from position 1
        page = rankings.ranking_page(group=group, page=9, page_size=3)
    assert page.count == 7 and page.entries == []
    with django_assert_num_queries(1):
        rankings.own_position(group=group, student=small_school["S03"])
    student = student_profile_for_user(user=small_school["S03"].user)
    with django_assert_num_queries(1):
        positions = rankings.own_positions_all_scopes(student=student)
    assert [(scope, own.rank) for scope, _, own in positions] == [
        ("school", 3), ("major", 3), ("cohort", 3), ("class", 2)]
