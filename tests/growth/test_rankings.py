import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from students import points, rankings
from students.growth_models import PointSource, Tier
from tests.factories import UserFactory
from tests.growth import factories as f

pytestmark = pytest.mark.django_db


def _give(student, amount):
    if amount:
        points.points_grant(actor=None, student=student, source=PointSource.TEACHER_AWARD, amount=amount, reason="t")


@pytest.fixture
def small_school():
    """Class A: 50, 30, 30, 10, 0; class B (same cohort): 40, 30. Numbers chosen so ties exist."""
    klass_a = f.school_class(code="A")
    klass_b = f.school_class(code="B")
    values = {"S01": (klass_a, 50), "S02": (klass_a, 30), "S03": (klass_a, 30), "S04": (klass_a, 10),
              "S05": (klass_a, 0), "S06": (klass_b, 40), "S07": (klass_b, 30)}
    students = {}
    for number, (klass, amount) in values.items():
        students[number] = f.student(klass=klass, number=number)
        _give(students[number], amount)
    return students


def test_positions_percentiles_and_deterministic_ties(small_school):
    group = rankings.RankingGroup("school", rankings.Q(), "")
    page = rankings.ranking_page(group=group, page=1, page_size=50)
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
    term = f.term()
    assert rankings.tiers_assign_for_term(term=term) == 7
    rankings.tiers_assign_for_term(term=term)  # idempotent
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
    client.force_login(small_school["S01"].user)
    body = client.get(reverse("api:students-rankings"), {"scope": "school", "competency": "data"}).json()
    assert body["value"] == "data"
    top = [(r["student_number"], r["rank"], r["value"]) for r in body["results"][:4]]
    assert top == [("S03", 1, 0.9), ("S06", 1, 0.9), ("S01", 3, 0.4), ("S02", 4, 0.0)]
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
    from students.growth_models import PointBalance
    from students.models import StudentProfile

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
    small = count(5)
    _populate(300, klass)
    large = count(200)
    assert large == small, (small, large)
    assert small <= 12  # session, user, profile, savepoint + work_mem, page, names, own position


def test_ranking_page_renders_own_position(client, small_school):
    client.force_login(small_school["S01"].user)
    response = client.get(reverse("students:rankings"), {"scope": "school"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="own-position"' in html and "S07" in html
