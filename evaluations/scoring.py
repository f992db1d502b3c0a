"""The result formula, as pure functions (hand-checked in tests/evaluations/test_scoring.py).

    rater score   = Σ_d w_d · s_d            (s_d: the weighted mean of d's sub-criteria, 0..100)
    party score   = mean of its raters' scores; peers: at least 3, and with 5 or more the
                    highest and the lowest are dropped (trimmed mean)
    final         = Σ w_p · score_p / Σ w_p  over the parties present
    dimension d   = the same party-weighted combination of the raters' s_d (same raters kept)
    flag          = a party more than 20 points from the mean of the other parties present

A self-evaluation is never counted; it is shown beside the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

PEER = "peer"
MIN_PEERS = 3
TRIM_PEERS_FROM = 5
FLAG_DEVIATION = 20.0


class RaterScores(NamedTuple):
    total: float
    dimensions: Mapping[str, float]


@dataclass
class PartyOutcome:
    party: str
    weight: float
    score: float | None
    raters: int
    counted: bool
    kept: list[RaterScores] = field(default_factory=list, repr=False)


@dataclass
class Outcome:
    final: float
    parties: list[PartyOutcome]
    dimensions: list[tuple[str, float]]
    flags: list[dict]


def rater_total(dimension_scores: Mapping[str, float], dimension_weights: Mapping[str, float]) -> float:
    return sum(float(dimension_weights[code]) * float(dimension_scores[code]) for code in dimension_weights)


def dimension_score(criterion_scores: Mapping[str, float], criterion_weights: Mapping[str, float]) -> float:
    total_weight = sum(float(w) for w in criterion_weights.values())
    return sum(float(criterion_weights[c]) * float(criterion_scores[c]) for c in criterion_weights) / total_weight


def kept_raters(party: str, raters: Sequence[RaterScores]) -> list[RaterScores]:
    """The raters whose scores count: all of them, except peers (fewer than 3 count for
    nothing; 5 or more lose their highest and lowest)."""
    if party != PEER:
        return list(raters)
    if len(raters) < MIN_PEERS:
        return []
    ordered = sorted(raters, key=lambda r: r.total)
    return ordered[1:-1] if len(ordered) >= TRIM_PEERS_FROM else ordered


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def deviation_flags(scores: Mapping[str, float], *, limit: float = FLAG_DEVIATION) -> list[dict]:
    """Parties more than `limit` points from the mean of the other parties present."""
    flags = []
    if len(scores) < 2:
        return flags
    for party, score in scores.items():
        others = [s for p, s in scores.items() if p != party]
        others_mean = _mean(others)
        deviation = score - others_mean
        if abs(deviation) > limit:
            flags.append({"party": party, "score": round(score, 2), "others_mean": round(others_mean, 2),
                          "deviation": round(deviation, 2)})
    return flags


def compute_outcome(
    *,
    party_weights: Mapping[str, float],
    dimension_codes: Sequence[str],
    dimension_weights: Mapping[str, float],
    raters_by_party: Mapping[str, Sequence[RaterScores]],
) -> Outcome | None:
    """The result of one round, or None when no party is present."""
    parties: list[PartyOutcome] = []
    for party, weight in party_weights.items():
        raters = list(raters_by_party.get(party, ()))
        kept = kept_raters(party, raters)
        score = _mean([r.total for r in kept]) if kept else None
        parties.append(PartyOutcome(party=party, weight=float(weight), score=score, raters=len(raters),
                                    counted=score is not None, kept=kept))
    present = [p for p in parties if p.counted]
    if not present:
        return None
    weight_sum = sum(p.weight for p in present)
    final = sum(p.weight * p.score for p in present) / weight_sum
    sums = [0.0] * len(dimension_codes)
    for p in present:
        party_sums = [0.0] * len(dimension_codes)
        for rater in p.kept:
            values = rater.dimensions
            for i, code in enumerate(dimension_codes):
                party_sums[i] += values.get(code) or 0.0
        share = p.weight / len(p.kept)
        for i, value in enumerate(party_sums):
            sums[i] += share * value
    dimensions = [(code, sums[i] / weight_sum) for i, code in enumerate(dimension_codes)]
    flags = deviation_flags({p.party: p.score for p in present})
    return Outcome(final=min(100.0, max(0.0, final)), parties=parties, dimensions=dimensions, flags=flags)


def quorum_holds(*, required: Sequence[str], raters_by_party: Mapping[str, Sequence]) -> bool:
    """At the deadline a round is finalised when every required party is present
    (peers: at least 3 submissions); otherwise it lapses."""
    for party in required:
        count = len(raters_by_party.get(party, ()))
        if count < (MIN_PEERS if party == PEER else 1):
            return False
    return any(raters_by_party.get(p) for p in raters_by_party if p != "self")
