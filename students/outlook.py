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

import importlib
import io
import pickle
from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import SimpleLazyObject

from accounts.errors import ApplicationError
from teachers.models import Competency, Major

from .growth_models import Alumnus, JobFamily, OutlookModel
from .models import StudentProfile

# Loaded on first use, not when the URLs are imported (every manage.py call).
np = SimpleLazyObject(lambda: importlib.import_module("numpy"))

NOT_EMPLOYED = "none"
IMPROVEMENT_STEP = 0.10
MIN_PER_CLASS = 30  # "if this competency were 10 points higher"

# Which competencies make a graduate suited to which job family (used to generate
# plausible demo outcomes; the model learns the relation from the data).
FAMILY_AFFINITY = {
    "ecommerce": {
        JobFamily.OPERATIONS: {"ec-operation": 1.0, "data-analysis": 0.6},
        JobFamily.MARKETING: {"new-media": 1.0, "marketing": 0.9},
        JobFamily.DESIGN: {"photography": 1.0, "shop-design": 1.0},
        JobFamily.CUSTOMER: {"customer-service": 1.0, "ec-operation": 0.3},
    },
    "bigdata": {
        JobFamily.DATA: {"data-visualisation": 1.0, "ml-ai": 0.8, "data-collection": 0.5},
        JobFamily.ENGINEERING: {"programming": 1.0, "database": 0.8, "platforms": 0.8},
        JobFamily.OPERATIONS: {"project-practice": 1.0, "platforms": 0.4},
    },
}


def _competency_codes(major: Major) -> list[str]:
    return list(Competency.objects.filter(major=major).order_by("order", "code").values_list("code", flat=True))


def _features(attainment: dict, rank_percentile: float, codes: list[str]) -> list[float]:
    return [float(attainment.get(code, 0.0)) for code in codes] + [rank_percentile / 100.0]


# --- demo alumni -----------------------------------------------------------------

def alumni_generate(*, major: Major, count: int, seed: int, start_index: int = 0) -> list[Alumnus]:
    """Plausible alumni: a latent ability and a specialisation shape the graduation radar;
    employment depends on ability and rank, the job family on the radar's shape."""
    rng = np.random.default_rng(seed)
    codes = _competency_codes(major)
    if not codes:
        return []
    affinity = FAMILY_AFFINITY.get(major.code) or {JobFamily.OPERATIONS: {codes[0]: 1.0}}
    families = list(affinity)
    n, k = count, len(codes)
    ability = rng.normal(0, 1, n)
    specialisation = rng.normal(0, 1, (n, k))
    radar = np.clip(0.62 + 0.10 * ability[:, None] + 0.07 * specialisation + rng.normal(0, 0.04, (n, k)), 0.05, 1.0)
    points = np.maximum(0, 260 + 70 * ability + rng.normal(0, 40, n)).round()
    years = rng.integers(2019, 2025, n)
    percentile = np.zeros(n)
    for year in np.unique(years):
        idx = np.where(years == year)[0]
        order = points[idx].argsort().argsort()
        percentile[idx] = 100.0 * order / max(1, len(idx) - 1)
    mean_radar = radar.mean(axis=1)
    logit = 1.1 + 9.0 * (mean_radar - 0.62) + 1.2 * (percentile - 50) / 50 + rng.normal(0, 0.6, n)
    employed = rng.random(n) < 1 / (1 + np.exp(-logit))
    code_index = {c: i for i, c in enumerate(codes)}
    fit = np.zeros((n, len(families)))
    for j, family in enumerate(families):
        total = sum(w for c, w in affinity[family].items() if c in code_index) or 1.0
        for code, weight in affinity[family].items():
            if code in code_index:
                fit[:, j] += weight / total * radar[:, code_index[code]]
    fit += rng.gumbel(0, 0.06, fit.shape)
    family_pick = fit.argmax(axis=1)
    salary = np.where(ability + rng.normal(0, 0.7, n) > 0.8, "8k+", np.where(ability > -0.5, "5-8k", "3-5k"))
    return [
        Alumnus(code=f"A{major.pk}-{start_index + i:05d}", major=major, graduation_year=int(years[i]),
                attainment={c: round(float(radar[i, j]), 3) for j, c in enumerate(codes)}, points=int(points[i]),
                rank_percentile=round(float(percentile[i]), 1), employed=bool(employed[i]),
                job_family=str(families[family_pick[i]]) if employed[i] else "",
                salary_band=str(salary[i]) if employed[i] else "")
        for i in range(n)
    ]


# --- training --------------------------------------------------------------------

def _dataset(major: Major, codes: list[str]):
    rows = list(Alumnus.objects.filter(major=major).values_list("attainment", "rank_percentile", "employed",
                                                                  "job_family"))
    X = np.array([_features(a, p, codes) for a, p, _, _ in rows], dtype=float)
    y = np.array([f if e and f else NOT_EMPLOYED for _, _, e, f in rows])
    # Job families with too few graduates cannot be validated or calibrated: leave them out.
    labels, counts = np.unique(y, return_counts=True)
    keep = np.isin(y, labels[counts >= MIN_PER_CLASS])
    return X[keep], y[keep]


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
    codes = _competency_codes(major)
    X, y = _dataset(major, codes)
    if len(y) < 200 or len(set(y)) < 2:
        raise ApplicationError("Not enough alumni records to train the outlook.", code="not_enough_alumni")
    metrics = outlook_evaluate(X, y)
    model = _pipeline().fit(X, y)
    buffer = io.BytesIO()
    pickle.dump({"model": model, "codes": codes, "X": X, "y": y,
                 "mean": X.mean(axis=0), "std": X.std(axis=0) + 1e-9}, buffer)
    OutlookModel.objects.filter(major=major, is_active=True).update(is_active=False)
    return OutlookModel.objects.create(major=major, features=codes + ["rank_percentile"], metrics=metrics,
                                       artifact=buffer.getvalue(), is_active=True)


def outlook_train_all() -> list[OutlookModel]:
    trained = []
    for major in Major.objects.filter(alumni__isnull=False).distinct():
        trained.append(outlook_train(major=major))
    return trained


# --- serving ---------------------------------------------------------------------

@dataclass
class Outlook:
    employed: float
    families: list[dict]
    similar: list[dict]
    improvements: list[dict]
    metrics: dict
    projected: bool
    progress: float


_CACHE: dict[int, tuple[int, dict]] = {}


def _load(model_row: OutlookModel) -> dict:
    cached = _CACHE.get(model_row.major_id)
    if cached and cached[0] == model_row.pk:
        return cached[1]
    bundle = pickle.loads(bytes(model_row.artifact))  # noqa: S301 - written by outlook_train, never user input
    _CACHE[model_row.major_id] = (model_row.pk, bundle)
    return bundle


def _student_progress(student: StudentProfile) -> float:
    """Share of the program's credits completed (the radar grows towards graduation)."""
    from django.db.models import Sum

    from teachers.models import ProgramCourse

    from .models import StudentRadar

    done = StudentRadar.objects.filter(student=student).values_list("credits_completed", flat=True).first() or 0
    total = (ProgramCourse.objects.filter(program__major_id=student.major_id,
                                          program__intake_year=student.intake_year)
             .aggregate(s=Sum("credits"))["s"] or 0)
    return float(done) / float(total) if total else 0.0


def outlook_for_student(*, student: StudentProfile) -> Outlook | None:
    from . import competency_values, rankings

    row = OutlookModel.objects.filter(major_id=student.major_id, is_active=True).first()
    if row is None:
        return None
    bundle = _load(row)
    model, codes = bundle["model"], bundle["codes"]
    radar = {d["code"]: d["value"] for d in (competency_values.radar_for_student(student) or [])}
    # Alumni radars are at graduation; a current student's grows with completed credits,
    # so project it to graduation by the share of credits completed.
    progress = _student_progress(student)
    projected = 0 < progress < 0.999
    if progress > 0:
        radar = {c: min(1.0, v / progress) for c, v in radar.items()}
    percentile = rankings.current_tier(student=student).percentile
    x = np.array([_features(radar, percentile, codes)])
    classes = list(model.classes_)
    proba = model.predict_proba(x)[0]
    p_emp = 1.0 - proba[classes.index(NOT_EMPLOYED)]
    families = sorted(
        [{"code": str(c), "label": str(JobFamily(c).label) if c in JobFamily.values else c, "probability": float(p)}
         for c, p in zip(classes, proba, strict=True) if c != NOT_EMPLOYED],
        key=lambda d: -d["probability"])
    # Most similar alumni: nearest in standardised feature space.
    z = (bundle["X"] - bundle["mean"]) / bundle["std"]
    zx = (x[0] - bundle["mean"]) / bundle["std"]
    nearest = np.argsort(((z - zx) ** 2).sum(axis=1))[:5]
    alumni = list(Alumnus.objects.filter(major_id=student.major_id).order_by("pk")
                  .values_list("code", "graduation_year", "employed", "job_family", "salary_band"))
    similar = []
    for i in nearest:
        if i < len(alumni):
            code, year, employed, family, salary = alumni[i]
            similar.append({"code": code, "graduation_year": year, "employed": employed,
                            "job_family": str(JobFamily(family).label) if family in JobFamily.values else "",
                            "salary_band": salary})
    improvements = []
    names = dict(Competency.objects.filter(major_id=student.major_id).values_list("code", "name"))
    for j, code in enumerate(codes):
        x2 = x.copy()
        x2[0, j] = min(1.0, x2[0, j] + IMPROVEMENT_STEP)
        gain = (1.0 - model.predict_proba(x2)[0][classes.index(NOT_EMPLOYED)]) - p_emp
        improvements.append({"code": code, "label": names.get(code, code), "gain": float(gain),
                             "current": float(x[0, j])})
    improvements = [d for d in sorted(improvements, key=lambda d: -d["gain"]) if d["gain"] > 0][:3]
    return Outlook(employed=float(p_emp), families=families, similar=similar, improvements=improvements,
                   metrics=row.metrics, projected=projected, progress=progress)


def outlook_models_active():
    return OutlookModel.objects.filter(is_active=True).select_related("major").defer("artifact").order_by("major__code")
