"""Query shape of the talent market's hot reads (docs/benchmarks.md#talent-market-issue-10)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises import services
from enterprises.matching import candidate_page
from tests.radar.builders import make_student

from . import test_matching
from .builders import make_visible, posting_data, publish

market = test_matching.market  # the same small market (a fixture)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's JIT")
def test_the_candidate_ranking_runs_without_jit(market):
    """The ranking's cost estimate passes jit_above_cost; compiling its expressions took
    about half of the query. The ranking statement runs right after `SET LOCAL jit = off`."""
    make_visible(market["student"])
    candidate_page(posting=market["posting"], organization_id=market["org"].pk)  # builds the vectors
    with CaptureQueriesContext(connection) as ctx:
        total, rows = candidate_page(posting=market["posting"], organization_id=market["org"].pk)
    assert total == 1 and rows[0].student_number == market["student"].student_number
    statements = [q["sql"] for q in ctx]
    ranking = next(i for i, sql in enumerate(statements) if sql.startswith("WITH f AS"))
    assert statements[ranking - 1] == "SET LOCAL jit = off"
    with connection.cursor() as cursor:  # inside this test's transaction the setting holds; then it ends
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_student_matches_api_queries_do_not_grow_with_postings(market, client):
    hr, admin, major = market["hr"], market["admin"], market["major"]
    client.force_login(admin)
    url = f"/api/v1/students/{market['student'].student_number}/posting-matches/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()) == 1
    for i in range(5):
        publish(services.posting_create(actor=hr, organization=market["org"], data=posting_data(
            major, title=f"岗位{i}")), admin)
    with CaptureQueriesContext(connection) as six:
        body = client.get(url).json()
    assert len(body) == 6 and all(len(m["gaps"]) == 2 for m in body)
    assert len(six) == len(one)
    # postings, their requirements with the competencies joined: two reads, not three
    assert len([q for q in six if '"enterprises_postingrequirement"' in q["sql"].split(" WHERE ")[0]
                and "teachers_competency" in q["sql"]]) == 1
    assert not [q for q in six if q["sql"].startswith('SELECT "teachers_competency"')]


def test_candidates_api_queries_do_not_grow_with_students(market, client):
    make_visible(market["student"])
    client.force_login(market["hr"])
    url = f"/api/v1/postings/{market['posting'].pk}/candidates/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).json()["count"] == 1
    for i in range(4):
        make_visible(make_student(market["class"], number=f"20249900{i:02d}"))
    client.get(url)  # adds the new students' vectors
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).json()["count"] == 5
    assert len(many) == len(few)
