"""Two raters submitting at the same instant both count, and the round is finalised once
with both of them (the round row is locked by each submission)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from evaluations import services
from evaluations.models import Invitation, Party, Result, Round
from tests.evaluations.builders import build_world, open_rounds, submit, uniform_scores


@pytest.mark.django_db(transaction=True)
def test_last_two_raters_at_the_same_instant_both_count():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises every writer anyway)")
    world = build_world(students=4)
    round_ = open_rounds(world)[0]
    submit(world, round_, world.teacher, 80)
    for invitation in Invitation.objects.filter(round=round_, party=Party.PEER).select_related("rater"):
        services.submission_create(actor=invitation.rater, invitation_id=invitation.pk,
                                   scores=uniform_scores(round_.template, 70))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def rater(user, value):
        try:
            barrier.wait()
            submit(world, round_, user, value)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rater, args=(world.mentor, 90)),
               threading.Thread(target=rater, args=(world.master, 60))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINALISED
    assert Result.objects.filter(round=round_).count() == 1
    parties = {p["party"]: p for p in round_.current_result.parties}
    assert parties["mentor"]["score"] == 90 and parties["master"]["score"] == 60
    # 0.3*80 + 0.3*90 + 0.2*60 + 0.2*70 = 77
    assert round_.current_result.final == pytest.approx(77.0)
