"""The result formula on hand-worked cases."""

import pytest

from evaluations.scoring import RaterScores, compute_outcome, deviation_flags, kept_raters, quorum_holds

FOUR = {"teacher": 0.3, "mentor": 0.3, "master": 0.2, "peer": 0.2}
DIMS = ("basic", "quality")
DIM_WEIGHTS = {"basic": 0.5, "quality": 0.5}


def r(total, basic=None, quality=None):
    basic = total if basic is None else basic
    quality = 2 * total - basic if quality is None else quality
    return RaterScores(total=total, dimensions={"basic": basic, "quality": quality})


def test_all_four_parties_weighted():
    outcome = compute_outcome(party_weights=FOUR, dimension_codes=DIMS, dimension_weights=DIM_WEIGHTS,
                              raters_by_party={"teacher": [r(80)], "mentor": [r(90)], "master": [r(70)],
                                               "peer": [r(60), r(70), r(80)]})
    # 0.3*80 + 0.3*90 + 0.2*70 + 0.2*70 = 24 + 27 + 14 + 14 = 79
    assert outcome.final == pytest.approx(79.0)
    assert [p.score for p in outcome.parties] == [80, 90, 70, 70]
    assert all(p.counted for p in outcome.parties)


def test_missing_optional_party_renormalises_over_parties_present():
    outcome = compute_outcome(party_weights=FOUR, dimension_codes=DIMS, dimension_weights=DIM_WEIGHTS,
                              raters_by_party={"teacher": [r(80)], "mentor": [r(90)], "peer": [r(60), r(70), r(80)]})
    # master absent: (0.3*80 + 0.3*90 + 0.2*70) / 0.8 = 65 / 0.8 = 81.25
    assert outcome.final == pytest.approx(81.25)
    master = next(p for p in outcome.parties if p.party == "master")
    assert master.counted is False and master.score is None and master.raters == 0


def test_fewer_than_three_peers_do_not_count():
    outcome = compute_outcome(party_weights=FOUR, dimension_codes=DIMS, dimension_weights=DIM_WEIGHTS,
                              raters_by_party={"teacher": [r(80)], "peer": [r(10), r(20)]})
    peer = next(p for p in outcome.parties if p.party == "peer")
    assert peer.counted is False and peer.raters == 2
    assert outcome.final == pytest.approx(80.0)


def test_trimmed_mean_with_five_or_more_peers():
    peers = [r(100), r(70), r(80), r(75), r(0)]
    assert sorted(x.total for x in kept_raters("peer", peers)) == [70, 75, 80]
    outcome = compute_outcome(party_weights={"teacher": 0.5, "peer": 0.5}, dimension_codes=DIMS,
                              dimension_weights=DIM_WEIGHTS, raters_by_party={"teacher": [r(60)], "peer": peers})
    # peers: mean(70, 75, 80) = 75 (100 and 0 dropped); final = (60 + 75) / 2 = 67.5
    assert next(p for p in outcome.parties if p.party == "peer").score == pytest.approx(75.0)
    assert outcome.final == pytest.approx(67.5)


def test_four_peers_are_not_trimmed_and_teachers_never_are():
    peers = [r(100), r(70), r(80), r(0)]
    assert len(kept_raters("peer", peers)) == 4
    assert len(kept_raters("teacher", [r(1), r(2), r(3), r(4), r(5)])) == 5


def test_dimension_scores_follow_the_same_weights_and_raters():
    outcome = compute_outcome(party_weights={"teacher": 0.6, "mentor": 0.4}, dimension_codes=DIMS,
                              dimension_weights=DIM_WEIGHTS,
                              raters_by_party={"teacher": [r(80, basic=90, quality=70)],
                                               "mentor": [r(60, basic=50, quality=70), r(70, basic=80, quality=60)]})
    dims = dict(outcome.dimensions)
    # basic: 0.6*90 + 0.4*mean(50, 80)=0.4*65 -> 54 + 26 = 80; quality: 0.6*70 + 0.4*65 = 68
    assert dims["basic"] == pytest.approx(80.0)
    assert dims["quality"] == pytest.approx(68.0)
    # and the final is the weighted sum of the dimensions
    assert outcome.final == pytest.approx(0.5 * 80 + 0.5 * 68)


def test_deviation_flag_over_twenty_points_from_the_others():
    outcome = compute_outcome(party_weights=FOUR, dimension_codes=DIMS, dimension_weights=DIM_WEIGHTS,
                              raters_by_party={"teacher": [r(80)], "mentor": [r(85)], "master": [r(40)],
                                               "peer": [r(75), r(80), r(85)]})
    # master 40 vs mean(80, 85, 80) = 81.67 -> -41.67: flagged; the others are within 20 of theirs
    assert [f["party"] for f in outcome.flags] == ["master"]
    assert outcome.flags[0]["deviation"] == pytest.approx(-41.67, abs=0.01)


def test_deviation_exactly_twenty_is_not_flagged():
    assert deviation_flags({"teacher": 80, "mentor": 60}) == []
    assert [f["party"] for f in deviation_flags({"teacher": 80.5, "mentor": 60})] == ["teacher", "mentor"]


def test_no_party_present_gives_no_outcome():
    assert compute_outcome(party_weights=FOUR, dimension_codes=DIMS, dimension_weights=DIM_WEIGHTS,
                           raters_by_party={"peer": [r(50)]}) is None


def test_quorum_needs_every_required_party_and_three_peers():
    assert quorum_holds(required=["teacher", "peer"], raters_by_party={"teacher": [1], "peer": [1, 2, 3]})
    assert not quorum_holds(required=["teacher", "peer"], raters_by_party={"teacher": [1], "peer": [1, 2]})
    assert not quorum_holds(required=["teacher", "mentor"], raters_by_party={"teacher": [1]})
