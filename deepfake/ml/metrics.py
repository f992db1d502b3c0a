"""Binary-classification metrics in numpy (no scikit-learn dependency)."""
from __future__ import annotations

from platform_site.lazy import lazy_module

np = lazy_module("numpy")  # not at import: the URLs load this module (manage.py start-up)


def _ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks with ties given their average rank."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    ranks = np.empty(len(values), dtype=np.float64)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def roc_auc(labels, scores) -> float:
    """Area under the ROC curve (Mann-Whitney U); NaN when a class is missing."""
    labels = np.asarray(labels).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_pos, n_neg = labels.sum(), (~labels).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = _ranks(scores)
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def roc_curve(labels, scores) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(false-positive rates, true-positive rates, thresholds), thresholds descending."""
    labels = np.asarray(labels).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], labels[order]
    distinct = np.r_[np.where(np.diff(s))[0], len(s) - 1]
    tps = np.cumsum(y)[distinct]
    fps = np.cumsum(~y)[distinct]
    tpr = np.r_[0.0, tps / max(1, y.sum())]
    fpr = np.r_[0.0, fps / max(1, (~y).sum())]
    return fpr, tpr, np.r_[np.inf, s[distinct]]


def log_loss(labels, probs, eps: float = 1e-6) -> float:
    labels = np.asarray(labels, dtype=np.float64)
    p = np.clip(np.asarray(probs, dtype=np.float64), eps, 1 - eps)
    return float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))


def accuracy(labels, probs, threshold: float) -> float:
    labels = np.asarray(labels).astype(bool)
    return float(np.mean((np.asarray(probs) >= threshold) == labels))


def balanced_accuracy(labels, probs, threshold: float) -> float:
    labels = np.asarray(labels).astype(bool)
    pred = np.asarray(probs) >= threshold
    return float((pred[labels].mean() + (~pred[~labels]).mean()) / 2)


def calibrate_threshold(labels, probs) -> float:
    """Threshold maximising balanced accuracy (Youden's J) on a validation set;
    halfway between neighbouring scores so it does not sit on a sample."""
    probs = np.asarray(probs, dtype=np.float64)
    candidates = np.unique(probs)
    if len(candidates) < 2:
        return 0.5
    mids = np.r_[(candidates[:-1] + candidates[1:]) / 2]
    best = max(mids, key=lambda t: (balanced_accuracy(labels, probs, t), -abs(t - 0.5)))
    return float(best)


def binary_report(labels, probs, threshold: float) -> dict:
    labels = np.asarray(labels)
    return {
        "n_real": int((labels == 0).sum()),
        "n_fake": int((labels == 1).sum()),
        "accuracy": round(accuracy(labels, probs, threshold), 4),
        "balanced_accuracy": round(balanced_accuracy(labels, probs, threshold), 4),
        "auc": round(roc_auc(labels, probs), 4),
        "log_loss": round(log_loss(labels, probs), 4),
    }
