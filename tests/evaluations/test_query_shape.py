"""The query shape of finalisation and of the result API (docs/benchmarks.md#evaluations-issue-13):
a fixed number of statements whatever the number of rounds, every round pointing at its
newest result, and the result API in one query of its own."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations import services
from evaluations.finalisation import rounds_finalise
from evaluations.models import Invitation, Party, Result, Round
from evaluations.rewards import _reward
from tests.evaluations.builders import build_world, open_rounds, submit, uniform_scores

pytestmark = pytest.mark.django_db


def _submitted_without_master(world, round_) -> None:
    """Teacher 80, mentor 90, peers 60/70/80: the optional master is missing, so the round
    stays open until it is finalised explicitly."""
    submit(world, round_, world.teacher, 80)
    submit(world, round_, world.mentor, 90)
    for invitation, value in zip(Invitation.objects.filter(round=round_, party=Party.PEER).select_related("rater"),
                                 (60, 70, 80), strict=True):
        services.submission_create(actor=invitation.rater, invitation_id=invitation.pk,
                                   scores=uniform_scores(round_.template, value))


def test_finalisation_statements_do_not_grow_with_rounds_and_rounds_point_at_their_result():
    world = build_world(students=6)
    rounds = open_rounds(world)
    for round_ in rounds:
        _submitted_without_master(world, round_)
    assert all(r.status == Round.Status.OPEN for r in Round.objects.filter(pk__in=[r.pk for r in rounds]))
    with CaptureQueriesContext(connection) as two:
        assert len(rounds_finalise(round_ids=[r.pk for r in rounds[:2]]).finalised) == 2
    with CaptureQueriesContext(connection) as four:
        assert len(rounds_finalise(round_ids=[r.pk for r in rounds[2:]]).finalised) == 4
    assert len(four) == len(two)
    writes = [q["sql"] for q in four if "evaluations_result" in q["sql"] and "INSERT" in q["sql"].upper()]
    assert len(writes) == 1  # the results and their rounds in one statement (one bulk insert elsewhere)
    appeal_days = world.templates["four"].appeal_days
    for round_ in Round.objects.filter(pk__in=[r.pk for r in rounds]).select_related("current_result"):
        result = Result.objects.get(round=round_)
        assert round_.status == Round.Status.FINALISED
        assert round_.current_result_id == result.pk and result.version == 1
        assert round_.appeal_closes_at == round_.finalised_at + datetime.timedelta(days=appeal_days)
        # master absent: (0.3·80 + 0.3·90 + 0.2·70) / 0.8
        assert result.final == pytest.approx(81.25)
        assert isinstance(result.final, float)
        assert [(p["party"], p["score"], p["raters"], p["counted"]) for p in result.parties] == [
            ("teacher", 80.0, 1, True), ("mentor", 90.0, 1, True), ("master", None, 0, False),
            ("peer", 70.0, 3, True)]
        assert [d["score"] for d in result.dimensions] == [pytest.approx(81.25)] * 4
        assert result.self_score is None and result.flags == []


def test_refinalising_points_the_round_at_the_new_version():
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    _submitted_without_master(world, round_)
    rounds_finalise(round_ids=[round_.pk])
    first = Round.objects.get(pk=round_.pk).current_result
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.OPEN)  # as an upheld appeal reopens it
    rounds_finalise(round_ids=[round_.pk])
    round_.refresh_from_db()
    assert round_.current_result.version == 2 and round_.current_result_id != first.pk
    assert Result.objects.filter(round=round_).count() == 2


def _evaluation_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx if "evaluations_" in q["sql"]]


@pytest.mark.parametrize("role", ["student", "admin", "teacher"])
def test_result_api_reads_the_round_result_and_reward_in_one_query(client, role):
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    for invitation in round_.invitations.exclude(party="self").select_related("rater"):
        submit(world, round_, invitation.rater, 95)
    round_.refresh_from_db()
    user = {"student": round_.student.user, "admin": world.admin, "teacher": world.teacher}[role]
    client.force_login(user)
    url = reverse("api:evaluations-round-result", args=[round_.pk])
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).json()
    assert body["excellent"] is False and body["final"] == pytest.approx(95.0)
    assert len(_evaluation_queries(ctx)) == 1
    _reward(round_=round_, result=round_.current_result)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).json()["excellent"] is True
    assert len(_evaluation_queries(ctx)) == 1
