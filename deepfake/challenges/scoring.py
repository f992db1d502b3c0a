"""Scoring of challenge predictions, framework-free (numpy only).

AUC is the Mann-Whitney statistic with ties counted as half (``ml.metrics.roc_auc``);
accuracy is at probability 0.5; per generator, the AUC of the real images against
that generator's fakes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from deepfake.ml.metrics import roc_auc
from platform_site.lazy import lazy_module

np = lazy_module("numpy")  # not at import: the URLs load this module (manage.py start-up)

REAL = "real"


@dataclass(frozen=True)
class Item:
    item_id: str
    label: int  # 1 = fake
    generator: str  # "real" for real images
    is_public: bool


def _round(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def score_split(labels: np.ndarray, probs: np.ndarray, generators: np.ndarray) -> dict:
    """AUC, accuracy and per-generator AUC of one split."""
    if len(labels) == 0:
        return {"auc": None, "accuracy": None, "per_generator": {}, "count": 0}
    real = generators == REAL
    per_generator = {
        g: _round(roc_auc(labels[real | (generators == g)], probs[real | (generators == g)]))
        for g in sorted(set(generators.tolist()) - {REAL})
    }
    accuracy = float(((probs >= 0.5).astype(int) == labels).mean())
    return {"auc": _round(roc_auc(labels, probs)), "accuracy": _round(accuracy), "per_generator": per_generator,
            "count": int(len(labels))}


def score_predictions(items: list[Item], predictions: dict[str, float]) -> dict:
    """``{"public": {...}, "private": {...}}`` for predictions keyed by item id.

    The caller has checked that every item has exactly one prediction in 0..1."""
    labels = np.array([i.label for i in items], dtype=int)
    probs = np.array([predictions[i.item_id] for i in items], dtype=np.float64)
    generators = np.array([i.generator for i in items])
    public = np.array([i.is_public for i in items], dtype=bool)
    return {
        "public": score_split(labels[public], probs[public], generators[public]),
        "private": score_split(labels[~public], probs[~public], generators[~public]),
    }


def public_half(item_ids_by_group: dict, salt: str) -> set[str]:
    """A fixed half of the test set for the public leaderboard, stratified by group (label
    and generator): within each group, the ids ordered by a salted hash, the first half
    (rounded up) public."""
    import hashlib

    chosen: set[str] = set()
    for ids in item_ids_by_group.values():
        ordered = sorted(ids, key=lambda i: hashlib.sha256(f"{salt}:{i}".encode()).hexdigest())
        chosen.update(ordered[: (len(ordered) + 1) // 2])
    return chosen


def competition_ranks(sort_keys: list[tuple]) -> list[int]:
    """1-based "1, 1, 3" ranks for rows already sorted best first; equal keys share a rank."""
    ranks: list[int] = []
    for n, key in enumerate(sort_keys):
        ranks.append(ranks[-1] if n and key == sort_keys[n - 1] else n + 1)
    return ranks
