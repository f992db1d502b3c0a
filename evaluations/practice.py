"""Practice moves the radar: each finalised result is evidence for the competencies its
rubric's dimensions speak for, weighted like a course of `credit` credits:

    earned_sk   += credit_t · Σ_d m_dk · s_d        (s_d: the result's dimension score, 0..100)
    possible_sk += credit_t · Σ_d m_dk · 100

with m_dk the dimension→competency weight of the round's template version and credit_t
the credit of the subject type (SubjectCredit, set by school administrators; the registry's
default otherwise). The students app adds these sums to the course sums of the same
attainment formula (docs/radar.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record
from students.services import PracticeEvidenceRow, practice_evidence_replace
from teachers.models import Competency

from .models import DimensionCompetency, Round, SubjectCredit
from .subjects import SUBJECT_TYPES, subject_type


def subject_credits() -> dict[str, float]:
    credits = {entry.code: float(entry.credit) for entry in SUBJECT_TYPES}
    credits.update({kind: float(value) for kind, value in SubjectCredit.objects.values_list("subject_kind", "credit")})
    return credits


@transaction.atomic
def subject_credit_set(*, actor: User, kind: str, credit) -> SubjectCredit:
    """School administrators set how much a subject type's results weigh on the radar."""
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators set practice credits."))
    subject_type(kind)
    try:
        value = Decimal(str(credit))
    except ArithmeticError:
        raise ApplicationError(_("A credit is a number from 0 to 99."), code="invalid_credit") from None
    if not value.is_finite() or not 0 <= value < 100:
        raise ApplicationError(_("A credit is a number from 0 to 99."), code="invalid_credit")
    row, _created = SubjectCredit.objects.update_or_create(subject_kind=kind, defaults={"credit": value})
    audit_log_record(actor=actor, action="evaluations.credit.set", target=row, data={"kind": kind, "credit": str(value)})
    students = set(Round.objects.filter(subject_kind=kind, current_result__isnull=False)
                   .values_list("student_id", flat=True))
    if students:
        practice_evidence_refresh(student_ids=students)
    return row


def _dimension_map(template_ids: Iterable[int]) -> dict[int, dict[str, list[tuple[int, float]]]]:
    mapping: dict[int, dict[str, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
    for template_id, code, competency_id, weight in DimensionCompetency.objects.filter(
            dimension__template_id__in=set(template_ids)).values_list(
            "dimension__template_id", "dimension__code", "competency_id", "weight"):
        mapping[template_id][code].append((competency_id, float(weight)))
    return mapping


def _counted_rounds(student_ids: Iterable[int] | None):
    qs = Round.objects.filter(current_result__isnull=False).exclude(status=Round.Status.LAPSED)
    if student_ids is not None:
        qs = qs.filter(student_id__in=list(student_ids))
    return qs


def practice_evidence_rows(*, student_ids: Iterable[int] | None) -> list[PracticeEvidenceRow]:
    """One row per (student, competency, counted result): the result's credit, its weight
    towards the competency (Σ_d m_dk) and its score there (Σ_d m_dk · D_d / Σ_d m_dk)."""
    rows = list(_counted_rounds(student_ids).values_list("pk", "student_id", "template_id", "subject_kind",
                                                         "subject_title", "current_result__dimensions",
                                                         "finalised_at"))
    mapping = _dimension_map({row[2] for row in rows})
    credits = subject_credits()
    evidence = []
    for round_id, student_id, template_id, kind, title, dimensions, finalised_at in rows:
        credit = credits.get(kind, 0.0)
        if credit <= 0:
            continue
        per_competency: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
        competencies = mapping.get(template_id, {})
        for dimension in dimensions or []:
            for competency_id, weight in competencies.get(dimension["code"], ()):
                per_competency[competency_id][0] += weight
                per_competency[competency_id][1] += weight * float(dimension["score"])
        evidence.extend(
            PracticeEvidenceRow(student_id=student_id, competency_id=competency_id,
                                reference=f"evaluation-round:{round_id}", label=title, credits=credit,
                                weight=weight, score=weighted / weight,
                                earned_on=timezone.localdate(finalised_at) if finalised_at else None)
            for competency_id, (weight, weighted) in per_competency.items() if weight > 0)
    return evidence


def practice_evidence_refresh(*, student_ids: Iterable[int] | None) -> int:
    """Recompute the students' practice evidence from their results and hand it to the
    students app, which recomputes their radar with it."""
    ids = None if student_ids is None else sorted(set(student_ids))
    rows = practice_evidence_rows(student_ids=ids)
    return practice_evidence_replace(source="evaluations", student_ids=ids, rows=rows)


@dataclass
class Contribution:
    name: str
    weight: float
    score: float


def practice_contributions_for_round(*, round_: Round) -> list[Contribution]:
    """What this round's result adds to each competency: credit · m_dk per dimension, and
    the weighted score it brings."""
    result = round_.current_result
    if result is None:
        return []
    mapping = _dimension_map([round_.template_id]).get(round_.template_id, {})
    credit = subject_credits().get(round_.subject_kind, 0.0)
    scores = {d["code"]: float(d["score"]) for d in result.dimensions}
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for code, targets in mapping.items():
        for competency_id, weight in targets:
            sums[competency_id][0] += credit * weight
            sums[competency_id][1] += credit * weight * scores.get(code, 0.0)
    names = {c.pk: c.display_name for c in Competency.objects.filter(pk__in=list(sums)).order_by("order")}
    return [Contribution(name=names[cid], weight=w, score=earned / w if w else 0.0)
            for cid, (w, earned) in sorted(sums.items(), key=lambda item: list(names).index(item[0]))]
