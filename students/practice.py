"""Practice evidence on the radar (issue 13).

Higher apps (evaluations today; internships and projects could too) hand the students app
per-student, per-competency evidence from practice through
`students.services.practice_evidence_replace`; the radar adds it to the course sums of the
same attainment formula:

    attainment_sk = (Σ_courses w_c·a_ck·g_sc + Σ_practice earned) / (Σ_program w_c·a_ck·100 + Σ_practice possible)

Each evidence row keeps its source's label, credit, weight and score, so that the radar's
explanation lists practice contributions beside the courses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import transaction

from .models import PracticeEvidence


@dataclass(frozen=True)
class PracticeEvidenceRow:
    student_id: int
    competency_id: int
    reference: str  # the source record, e.g. "evaluation-round:12"
    label: str  # its title, as shown in the explanation
    credits: float
    weight: float  # Σ of the source's weights towards this competency
    score: float  # 0..100, weighted the same way


@transaction.atomic
def practice_evidence_replace(*, source: str, student_ids: Sequence[int] | None,
                              rows: Iterable[PracticeEvidenceRow]) -> int:
    """Replace the evidence `source` holds for these students (every student when None) and
    recompute their radar. Returns the number of evidence rows written."""
    from .radar import radar_recompute, radar_recompute_student

    existing = PracticeEvidence.objects.filter(source=source)
    if student_ids is not None:
        existing = existing.filter(student_id__in=list(student_ids))
    existing.delete()
    objs = [PracticeEvidence(student_id=r.student_id, competency_id=r.competency_id, source=source,
                             reference=r.reference[:80], label=r.label[:250], credits=r.credits, weight=r.weight,
                             score=r.score, earned=r.credits * r.weight * r.score,
                             possible=r.credits * r.weight * 100.0) for r in rows]
    PracticeEvidence.objects.bulk_create(objs, batch_size=5000)
    if student_ids is not None and len(student_ids) == 1:
        from .models import StudentProfile

        profile = StudentProfile.objects.filter(pk=student_ids[0]).first()
        if profile is not None:
            radar_recompute_student(student=profile)
    elif student_ids is None or student_ids:
        radar_recompute(student_ids=student_ids)
    return len(objs)


def practice_frame(student_ids: Sequence[int] | None) -> pd.DataFrame:
    """student_id, competency_id, p_earned, p_possible: the evidence summed in the database."""
    from .radar import _read_frame, _table

    sql = (f"SELECT student_id, competency_id, SUM(earned), SUM(possible) FROM {_table(PracticeEvidence)}")
    params: list = []
    if student_ids is not None:
        if not student_ids:
            return pd.DataFrame(columns=["student_id", "competency_id", "p_earned", "p_possible"])
        sql += f" WHERE student_id IN ({', '.join(['%s'] * len(student_ids))})"
        params = list(student_ids)
    sql += " GROUP BY student_id, competency_id"
    return _read_frame(sql, params, ["student_id", "competency_id", "p_earned", "p_possible"])


def add_practice(frame: pd.DataFrame, practice: pd.DataFrame) -> pd.DataFrame:
    """The attainment frame with practice evidence added to earned and possible."""
    if practice.empty:
        return frame
    out = frame.merge(practice, on=["student_id", "competency_id"], how="left")
    out["earned"] = out["earned"] + out["p_earned"].fillna(0.0)
    out["possible"] = out["possible"] + out["p_possible"].fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(out["possible"].to_numpy() > 0, out["earned"].to_numpy() / out["possible"].to_numpy(), 0.0)
    out["attainment"] = np.clip(ratio, 0.0, 1.0)
    return out[frame.columns.tolist()]


def practice_totals(student_id: int) -> dict[int, tuple[float, float]]:
    """{competency_id: (earned, possible)} of one student's practice."""
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for competency_id, earned, possible in PracticeEvidence.objects.filter(student_id=student_id).values_list(
            "competency_id", "earned", "possible"):
        totals[competency_id][0] += earned
        totals[competency_id][1] += possible
    return {k: (v[0], v[1]) for k, v in totals.items()}


def practice_rows_for_student(student_id: int) -> dict[int, list[PracticeEvidence]]:
    rows: dict[int, list[PracticeEvidence]] = defaultdict(list)
    for evidence in PracticeEvidence.objects.filter(student_id=student_id).order_by("source", "reference", "pk"):
        rows[evidence.competency_id].append(evidence)
    return rows
