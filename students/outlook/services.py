"""Employment outlook: from past graduates (graduation radar, points percentile and
their outcome six months after graduation) a per-major model gives a current
student a calibrated probability of employment per job family, the most similar
alumni (anonymised) and the competencies whose improvement would raise it most.

Model: standardised features -> multinomial logistic regression over
{not employed} + job families, calibrated with CalibratedClassifierCV (sigmoid,
3-fold). Validation on a stratified 25 % hold-out: AUC of employed-vs-not against
the majority-class baseline (AUC 0.5), per-family one-vs-rest AUC, Brier score and
a reliability table. The served model is refitted on all alumni.
"""

from __future__ import annotations

import io
import pickle

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError
from platform_site.lazy import lazy_module
from teachers.models import Competency, Major

from .models import Alumnus, OutlookModel

np = lazy_module("numpy")

NOT_EMPLOYED = "none"
IMPROVEMENT_STEP = 0.10  # "if this competency were 10 points higher"
MIN_PER_CLASS = 30  # job families with fewer alumni cannot be validated or calibrated


def competency_codes(major: Major) -> list[str]:
    return list(Competency.objects.filter(major=major).order_by("order", "code").values_list("code", flat=True))


def features(attainment: dict, rank_percentile: float, codes: list[str]) -> list[float]:
    return [float(attainment.get(code, 0.0)) for code in codes] + [rank_percentile / 100.0]


# --- training --------------------------------------------------------------------

MIN_REAL_ALUMNI = 200  # below this, real records alone cannot train a model


def training_alumni(major: Major):
    """The alumni a model of the major learns from: the real graduates' records (handed
    over by enterprises' careers surveys, `alumni_upsert_real`) once there are enough of
    them with two outcomes; until then every record, which in a demo includes the
    generated ones (the outlook page says which, with the counts)."""
    real = Alumnus.objects.filter(major=major, is_demo=False)
    if real.count() >= MIN_REAL_ALUMNI and real.values("employed").distinct().count() >= 2:
        return real
    return Alumnus.objects.filter(major=major)


def training_set(major: Major, codes: list[str], *, order: str = "pk") -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Features, labels and the alumni ids behind each row, in the same order. Job
    families with too few graduates cannot be validated or calibrated: their alumni are
    left out — of the ids too, so row i of X is always alumnus ids[i]."""
    rows = list(training_alumni(major).order_by(order).values_list(
        "pk", "attainment", "rank_percentile", "employed", "job_family"))
    X = np.array([features(a, p, codes) for _, a, p, _, _ in rows], dtype=float).reshape(len(rows), len(codes) + 1)
    y = np.array([f if e and f else NOT_EMPLOYED for _, _, _, e, f in rows])
    labels, counts = np.unique(y, return_counts=True)
    keep = np.isin(y, labels[counts >= MIN_PER_CLASS])
    ids = [pk for (pk, *_rest), kept in zip(rows, keep, strict=True) if kept]
    return X[keep], y[keep], ids


def _pipeline():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    base = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=1.0))
    return CalibratedClassifierCV(base, method="sigmoid", cv=3)


def outlook_evaluate(X: np.ndarray, y: np.ndarray, *, seed: int = 7) -> dict:
    """Hold-out validation metrics of the model (and of the majority-class baseline)."""
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.model_selection import train_test_split

    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    model = _pipeline().fit(X_train, y_train)
    proba = model.predict_proba(X_val)
    classes = list(model.classes_)
    p_employed = 1.0 - proba[:, classes.index(NOT_EMPLOYED)]
    employed_true = (y_val != NOT_EMPLOYED).astype(int)
    majority_rate = float(max(employed_true.mean(), 1 - employed_true.mean()))
    auc = float(roc_auc_score(employed_true, p_employed))
    frac_pos, mean_pred = calibration_curve(employed_true, p_employed, n_bins=8, strategy="quantile")
    ece = float(np.mean(np.abs(frac_pos - mean_pred)))
    family_auc = {}
    for i, cls in enumerate(classes):
        if cls == NOT_EMPLOYED:
            continue
        truth = (y_val == cls).astype(int)
        if 0 < truth.sum() < len(truth):
            family_auc[cls] = round(float(roc_auc_score(truth, proba[:, i])), 3)
    predicted_employed = (p_employed >= 0.5).astype(int)
    return {
        "n_train": int(len(y_train)), "n_validation": int(len(y_val)),
        "auc_employed": round(auc, 3), "baseline_auc": 0.5,
        "accuracy_employed": round(float((predicted_employed == employed_true).mean()), 3),
        "baseline_accuracy": round(majority_rate, 3),
        "brier_employed": round(float(brier_score_loss(employed_true, p_employed)), 4),
        "baseline_brier": round(float(brier_score_loss(employed_true, np.full(len(employed_true),
                                                                                 employed_true.mean()))), 4),
        "ece_employed": round(ece, 3),
        "reliability": [{"predicted": round(float(p), 3), "observed": round(float(o), 3)}
                        for p, o in zip(mean_pred, frac_pos, strict=True)],
        "family_auc": family_auc,
        "employment_rate": round(float(employed_true.mean()), 3),
    }


@transaction.atomic
def outlook_train(*, major: Major) -> OutlookModel:
    codes = competency_codes(major)
    X, y, alumni_ids = training_set(major, codes)
    if len(y) < 200 or len(set(y)) < 2:
        raise ApplicationError(_("Not enough alumni records to train the outlook."), code="not_enough_alumni")
    metrics = outlook_evaluate(X, y)
    metrics["demo_alumni"] = Alumnus.objects.filter(pk__in=alumni_ids, is_demo=True).count()
    metrics["real_alumni"] = len(alumni_ids) - metrics["demo_alumni"]
    model = _pipeline().fit(X, y)
    buffer = io.BytesIO()
    pickle.dump({"model": model, "codes": codes, "X": X, "y": y, "alumni_ids": alumni_ids,
                 "mean": X.mean(axis=0), "std": X.std(axis=0) + 1e-9}, buffer)
    OutlookModel.objects.filter(major=major, is_active=True).update(is_active=False)
    return OutlookModel.objects.create(major=major, features=codes + ["rank_percentile"], metrics=metrics,
                                       artifact=buffer.getvalue(), is_active=True)


def outlook_train_all() -> list[OutlookModel]:
    trained = []
    for major in Major.objects.filter(alumni__isnull=False).distinct():
        trained.append(outlook_train(major=major))
    return trained


# --- real graduates' records (from enterprises' careers surveys) -------------------

REAL_CODE_PREFIX = "R"


def alumni_upsert_real(*, outcomes: dict[int, tuple[bool, str, str, int] | None]) -> int:
    """Real graduates' outcomes become alumni records the outlook learns from. Called by
    a higher app (enterprises.careers) with {student profile id: (employed, job family,
    salary band, graduation year)}, or None to drop a graduate whose destination is no
    longer a job-market outcome. The radar and points at graduation are the student's
    stored ones; the rank percentile is within their cohort (major × intake year),
    PERCENT_RANK of the points balance. Idempotent; returns the rows written."""
    import bisect

    from django.db.models import F

    from ..profiles.models import StudentProfile
    from ..radar.models import CompetencyAttainment

    if not outcomes:
        return 0
    drop = [sid for sid, value in outcomes.items() if value is None]
    Alumnus.objects.filter(code__in=[f"{REAL_CODE_PREFIX}{sid}" for sid in drop]).delete()
    keep = {sid: value for sid, value in outcomes.items() if value is not None}
    if not keep:
        return 0
    profiles = {p.pk: p for p in StudentProfile.objects.filter(pk__in=keep).only("pk", "major_id", "intake_year")}
    attainment: dict[int, dict[str, float]] = {}
    for sid, code, value in CompetencyAttainment.objects.filter(student_id__in=keep).values_list(
            "student_id", "competency__code", "attainment"):
        attainment.setdefault(sid, {})[code] = round(float(value), 3)
    cohorts = {(p.major_id, p.intake_year) for p in profiles.values()}
    points: dict[int, int] = {}
    percentile: dict[int, float] = {}
    for major_id, intake_year in cohorts:
        balances = dict(StudentProfile.objects.filter(major_id=major_id, intake_year=intake_year)
                        .annotate(total=F("point_balance__total")).values_list("pk", "total"))
        ordered = sorted(v or 0 for v in balances.values())
        n = len(ordered)
        for sid, total in balances.items():
            points[sid] = total or 0
            percentile[sid] = 100.0 * bisect.bisect_left(ordered, total or 0) / (n - 1) if n > 1 else 0.0
    written = 0
    for sid, (employed, family, band, year) in keep.items():
        profile = profiles.get(sid)
        if profile is None:
            continue
        Alumnus.objects.update_or_create(code=f"{REAL_CODE_PREFIX}{sid}", defaults={
            "major_id": profile.major_id, "graduation_year": year, "attainment": attainment.get(sid, {}),
            "points": points.get(sid, 0), "rank_percentile": round(percentile.get(sid, 0.0), 1),
            "employed": bool(employed), "job_family": family if employed else "",
            "salary_band": band if employed else "", "is_demo": False})
        written += 1
    return written


def alumni_counts(*, major_id: int | None = None) -> dict[str, int]:
    """{"real": n, "synthetic": m} alumni records (of one major, or all)."""
    from django.db.models import Count, Q

    qs = Alumnus.objects.all() if major_id is None else Alumnus.objects.filter(major_id=major_id)
    counts = qs.aggregate(real=Count("pk", filter=Q(is_demo=False)), synthetic=Count("pk", filter=Q(is_demo=True)))
    return {"real": counts["real"] or 0, "synthetic": counts["synthetic"] or 0}
