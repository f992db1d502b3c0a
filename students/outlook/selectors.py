"""Reads of the employment outlook: a student's outlook and the active models."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from platform_site.lazy import lazy_module
from teachers.models import Competency

from ..profiles.models import StudentProfile
from .models import Alumnus, JobFamily, OutlookModel
from .services import IMPROVEMENT_STEP, NOT_EMPLOYED, features, training_set

np = lazy_module("numpy")


@dataclass
class Outlook:
    employed: float
    families: list[dict]
    similar: list[dict]
    improvements: list[dict]
    metrics: dict
    projected: bool
    progress: float
    demo_alumni: bool = False  # the model learned from generated (demo) alumni


# The unpickled model per major, with the identity of the row it came from (the id and
# the training time: ids can come back after a rollback, the time does not).
_CACHE: dict[int, tuple[tuple, dict]] = {}


def _load(model_row: OutlookModel) -> dict:
    identity = (model_row.pk, model_row.trained_at)
    cached = _CACHE.get(model_row.major_id)
    if cached and cached[0] == identity:
        return cached[1]
    bundle = pickle.loads(bytes(model_row.artifact))  # noqa: S301 - written by outlook_train, never user input
    _CACHE[model_row.major_id] = (identity, bundle)
    return bundle


def _training_alumni_ids(bundle: dict, row: OutlookModel) -> list[int]:
    """The alumnus behind each training row. Models trained before the ids were stored
    are matched by re-running their selection (then ordered by code, as they were)."""
    if "alumni_ids" not in bundle:
        bundle["alumni_ids"] = training_set(row.major, bundle["codes"], order="code")[2]
    return bundle["alumni_ids"]


def _student_progress(student: StudentProfile) -> float:
    """Share of the program's credits completed (the radar grows towards graduation)."""
    from django.db.models import Sum

    from teachers.models import ProgramCourse

    from ..radar.models import StudentRadar

    done = StudentRadar.objects.filter(student=student).values_list("credits_completed", flat=True).first() or 0
    total = (ProgramCourse.objects.filter(program__major_id=student.major_id,
                                          program__intake_year=student.intake_year)
             .aggregate(s=Sum("credits"))["s"] or 0)
    return float(done) / float(total) if total else 0.0


def outlook_for_student(*, student: StudentProfile) -> Outlook | None:
    from ..radar.selectors import radar_for_student
    from ..rankings.selectors import current_tier

    row = OutlookModel.objects.filter(major_id=student.major_id, is_active=True).first()
    if row is None:
        return None
    bundle = _load(row)
    model, codes = bundle["model"], bundle["codes"]
    radar = {axis.code: axis.attainment for axis in radar_for_student(student=student).axes}
    # Alumni radars are at graduation; a current student's grows with completed credits,
    # so project it to graduation by the share of credits completed.
    progress = _student_progress(student)
    projected = 0 < progress < 0.999
    if progress > 0:
        radar = {c: min(1.0, v / progress) for c, v in radar.items()}
    percentile = current_tier(student=student).percentile
    x = np.array([features(radar, percentile, codes)])
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
    ids = _training_alumni_ids(bundle, row)
    chosen = [ids[i] for i in nearest if i < len(ids)]
    alumni = Alumnus.objects.in_bulk(chosen)
    similar = []
    for pk in chosen:
        alumnus = alumni.get(pk)
        if alumnus is not None:
            similar.append({"code": alumnus.code, "graduation_year": alumnus.graduation_year,
                            "employed": alumnus.employed, "salary_band": alumnus.salary_band,
                            "job_family": alumnus.get_job_family_display() if alumnus.job_family else ""})
    improvements = []
    names = {c.code: c.display_name for c in Competency.objects.filter(major_id=student.major_id)}
    for j, code in enumerate(codes):
        x2 = x.copy()
        x2[0, j] = min(1.0, x2[0, j] + IMPROVEMENT_STEP)
        gain = (1.0 - model.predict_proba(x2)[0][classes.index(NOT_EMPLOYED)]) - p_emp
        # Both in percent: the competency's attainment and the change of P(employed) in
        # percentage points, the unit of the headline.
        improvements.append({"code": code, "label": names.get(code, code), "gain": float(gain),
                             "gain_points": round(100 * float(gain), 1), "current": float(x[0, j]),
                             "current_percent": round(100 * float(x[0, j])),
                             "improved_percent": round(100 * min(1.0, float(x[0, j]) + IMPROVEMENT_STEP))})
    improvements = [d for d in sorted(improvements, key=lambda d: -d["gain"]) if d["gain"] > 0][:3]
    demo = row.metrics.get("demo_alumni")
    if demo is None:  # a model trained before the count was recorded
        demo = Alumnus.objects.filter(major_id=student.major_id, is_demo=True).exists()
    return Outlook(employed=float(p_emp), families=families, similar=similar, improvements=improvements,
                   metrics=row.metrics, projected=projected, progress=progress, demo_alumni=bool(demo))


def outlook_models_active():
    return OutlookModel.objects.filter(is_active=True).select_related("major").defer("artifact").order_by("major__code")
