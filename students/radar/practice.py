"""Practice evidence on the radar (issue 13): the one write path for it.

Higher apps (evaluations; internships or projects later) hand over per-student,
per-competency evidence through `students.services.practice_evidence_replace`; it is
summed into the same attainment formula as the courses by `computation.practice_source`:

    attainment_sk = (Σ_courses w_c·a_ck·g_sc + Σ_practice credit·weight·score)
                    / (Σ_program w_c·a_ck·100 + Σ_practice credit·weight·100)
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from accounts.services import audit_log_record
from teachers.models import Term

from .models import PracticeEvidence


@dataclass(frozen=True)
class PracticeEvidenceRow:
    student_id: int
    competency_id: int
    reference: str  # the source record, e.g. "evaluation-round:12"
    label: str  # its title, as the explanation shows it
    credits: float  # how much the record weighs, like a course's credits
    weight: float  # its weight towards this competency, like a course's a_ck
    score: float  # 0..100
    earned_on: datetime.date | None = None  # the term it counts from (None: the earliest)


def _term_keys(dates: Iterable[datetime.date]) -> dict[datetime.date, int]:
    """start_year · 10 + number of the term each date falls in (or the last term begun before it)."""
    terms = list(Term.objects.order_by("starts_on").values_list("starts_on", "start_year", "number"))
    keys = {}
    for day in set(dates):
        key = 0
        for starts_on, year, number in terms:
            if starts_on <= day:
                key = year * 10 + number
        keys[day] = key
    return keys


@transaction.atomic
def practice_evidence_replace(*, source: str, student_ids: Sequence[int] | None,
                              rows: Iterable[PracticeEvidenceRow]) -> int:
    """Replace what `source` holds for these students (for every student when None) with
    `rows`, and recompute their radar. Returns the number of evidence rows written."""
    from .services import radar_recompute

    rows = list(rows)
    existing = PracticeEvidence.objects.filter(source=source)
    if student_ids is not None:
        existing = existing.filter(student_id__in=list(student_ids))
    existing.delete()
    keys = _term_keys(r.earned_on for r in rows if r.earned_on is not None)
    PracticeEvidence.objects.bulk_create([
        PracticeEvidence(student_id=r.student_id, competency_id=r.competency_id, source=source,
                         reference=r.reference[:80], label=r.label[:250], credits=r.credits, weight=r.weight,
                         score=r.score, earned=r.credits * r.weight * r.score, possible=r.credits * r.weight * 100.0,
                         term_key=keys.get(r.earned_on, 0))
        for r in rows], batch_size=5000)
    audit_log_record(actor=None, action="radar.practice_evidence.replace", target=None,
                     data={"source": source, "students": None if student_ids is None else len(student_ids),
                           "rows": len(rows)})
    if student_ids is None or student_ids:
        radar_recompute(student_ids=student_ids)
    return len(rows)


def practice_rows_for_student(student_id: int) -> dict[int, list[PracticeEvidence]]:
    """{competency_id: [evidence]} of one student, for the explanation."""
    rows: dict[int, list[PracticeEvidence]] = defaultdict(list)
    for evidence in PracticeEvidence.objects.filter(student_id=student_id).order_by("source", "reference", "pk"):
        rows[evidence.competency_id].append(evidence)
    return rows
