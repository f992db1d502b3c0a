"""Reads of the employment outlook: a student's outlook and the active models."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import numpy as np

from teachers.models import Competency

from ..profiles.models import StudentProfile
from .models import Alumnus, JobFamily, OutlookModel
from .services import IMPROVEMENT_STEP, NOT_EMPLOYED, features


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
