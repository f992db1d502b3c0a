"""Process-based assessment: components on an offering, scores in them, finals computed.

final = Σ weight_i · score_i / 100 over the offering's components (weights sum to 100),
rounded to two decimals, once every component has a score; until then the final stays
empty. A final entered by hand before the offering had components stays until the
student's first component score. Finals are written through the gradebook's `_apply`, so they keep their audit
trail and keep driving the radar (`grades_changed`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError
from accounts.models import User
from accounts.services import audit_log_record

from ..models import CourseOffering, Enrolment, GradeChange
from ..services import _apply, score_parse
from .models import ComponentScore, GradeComponent

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
TOTAL = Decimal("100")
# A sensible start for a course assessed along its working process.
DEFAULT_COMPONENTS = [
    {"code": "attendance", "name": "考勤 Attendance", "weight": "10"},
    {"code": "tasks", "name": "过程任务 Process tasks", "weight": "30"},
    {"code": "project", "name": "项目 Project", "weight": "30"},
    {"code": "exam", "name": "考试 Exam", "weight": "30"},
]


def final_from_components(*, weights: Mapping[int, Decimal], scores: Mapping[int, Decimal | None]) -> Decimal | None:
    """The final grade from component scores; None while any component lacks a score."""
    if not weights:
        return None
    total = Decimal("0")
    for component_id, weight in weights.items():
        score = scores.get(component_id)
        if score is None:
            return None
        total += Decimal(weight) * Decimal(score)
    return (total / TOTAL).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def components_validate(components: list[dict]) -> list[dict]:
    """[{code, name, weight}] → cleaned list; weights positive and summing to exactly 100."""
    cleaned, codes, errors = [], set(), []
    for index, row in enumerate(components, start=1):
        code = str(row.get("code", "")).strip().lower()
        name = str(row.get("name", "")).strip()
        if not CODE_RE.match(code):
            errors.append(_("Component %(n)d: the code must be letters, digits, - or _ (e.g. exam).") % {"n": index})
            continue
        if code in codes:
            errors.append(_("Component %(n)d: the code %(code)s is used twice.") % {"n": index, "code": code})
            continue
        codes.add(code)
        if not name or "\x00" in name or len(name) > 100:
            errors.append(_("Component %(n)d: give a name (at most 100 characters).") % {"n": index})
            continue
        try:
            weight = Decimal(str(row.get("weight", "")).strip())
        except InvalidOperation:
            errors.append(_("Component %(n)d: the weight is not a number.") % {"n": index})
            continue
        if not weight.is_finite() or weight <= 0 or weight > TOTAL or weight != weight.quantize(Decimal("0.01")):
            errors.append(_("Component %(n)d: the weight must be above 0 and at most 100.") % {"n": index})
            continue
        cleaned.append({"code": code, "name": name, "weight": weight})
    if errors:
        raise ApplicationError(" ".join(errors), code="invalid_components", extra={"components": errors})
    if cleaned and sum(c["weight"] for c in cleaned) != TOTAL:
        raise ApplicationError(
            _("Component weights must sum to 100 (they sum to %(sum)s).") % {"sum": sum(c["weight"] for c in cleaned)},
            code="weights_sum")
    return cleaned


def _recompute_finals(*, actor: User | None, offering: CourseOffering, enrolment_ids=None, reason: str,
                      source: str = GradeChange.Source.MANUAL) -> int:
    components = {c.pk: c.weight for c in GradeComponent.objects.filter(offering=offering)}
    if not components:
        return 0
    enrolments = Enrolment.objects.select_for_update().filter(offering=offering)
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=list(enrolment_ids))
    enrolments = list(enrolments)
    scores: dict[int, dict[int, Decimal]] = {}
    for eid, cid, score in ComponentScore.objects.filter(enrolment__in=enrolments).values_list(
            "enrolment_id", "component_id", "score"):
        scores.setdefault(eid, {})[cid] = score
    changes = [(e, final_from_components(weights=components, scores=scores.get(e.pk, {}))) for e in enrolments]
    return _apply(actor=actor, changes=changes, source=source, reason=reason)


@transaction.atomic
def grade_components_set(*, actor: User, offering: CourseOffering, components: list[dict]) -> list[GradeComponent]:
    """Replace the offering's components. Scores of removed components go; finals are
    recomputed. An empty list returns the offering to finals entered by hand."""
    cleaned = components_validate(components)
    offering = CourseOffering.objects.select_for_update().get(pk=offering.pk)
    existing = {c.code: c for c in GradeComponent.objects.filter(offering=offering)}
    GradeComponent.objects.filter(offering=offering).exclude(code__in=[c["code"] for c in cleaned]).delete()
    result = []
    for order, row in enumerate(cleaned):
        component = existing.get(row["code"]) or GradeComponent(offering=offering, code=row["code"])
        component.name, component.weight, component.order = row["name"], row["weight"], order
        component.save()
        result.append(component)
    audit_log_record(actor=actor, action="offering.components_set", target=offering,
                     data={"components": [{**c, "weight": str(c["weight"])} for c in cleaned]})
    if result:
        # Finals entered before the components stay until the student's first component score.
        scored = ComponentScore.objects.filter(component__offering=offering).values_list("enrolment_id", flat=True)
        _recompute_finals(actor=actor, offering=offering, enrolment_ids=set(scored),
                          reason=_("Grade components changed"))
    return result


def grade_components_from_version(*, actor: User | None, offering: CourseOffering) -> list[GradeComponent]:
    """Give a new offering the components of the course version in force for its class's intake."""
    from ..reform.selectors import version_in_force

    version = version_in_force(course=offering.course, intake_year=offering.school_class.intake_year)
    if version is None or not version.components:
        return []
    return grade_components_set(actor=actor, offering=offering, components=version.components)


@transaction.atomic
def component_scores_save(*, actor: User | None, offering: CourseOffering,
                          scores: Mapping[tuple[int, int], object], reason: str = "",
                          source: str = GradeChange.Source.MANUAL) -> int:
    """Save component scores {(enrolment_id, component_id): raw} all or nothing and
    recompute the finals. A changed score that was already entered needs a reason.
    Errors: ApplicationError with extra = {"enrolment-component": message} (key 0: the form)."""
    components = {c.pk: c for c in GradeComponent.objects.filter(offering=offering)}
    if not components:
        raise ApplicationError(_("This offering has no grade components."), code="no_components")
    enrolment_ids = set(Enrolment.objects.filter(offering=offering).values_list("pk", flat=True))
    current = {(s.enrolment_id, s.component_id): s for s in
               ComponentScore.objects.select_for_update().filter(component__offering=offering)}
    errors: dict = {}
    to_create, to_update, to_delete = [], [], []
    corrections = 0
    for (enrolment_id, component_id), raw in scores.items():
        key = f"{enrolment_id}-{component_id}"
        if enrolment_id not in enrolment_ids or component_id not in components:
            errors[key] = _("Not a student or component of this offering.")
            continue
        try:
            value = score_parse(raw)
        except ApplicationError as exc:
            errors[key] = str(exc.message)
            continue
        existing = current.get((enrolment_id, component_id))
        old = existing.score if existing else None
        if value == old:
            continue
        if old is not None:
            corrections += 1
        if value is None:
            to_delete.append(existing.pk)
        elif existing:
            existing.score = value
            to_update.append(existing)
        else:
            to_create.append(ComponentScore(enrolment_id=enrolment_id, component_id=component_id, score=value))
    if corrections and not reason.strip():
        errors[0] = _("Give a reason when you correct scores that were already entered.")
    if errors:
        raise ApplicationError(_("Nothing was saved: fix the marked scores."), code="invalid_scores", extra=errors)
    ComponentScore.objects.filter(pk__in=to_delete).delete()
    ComponentScore.objects.bulk_update(to_update, ["score"], batch_size=1000)
    ComponentScore.objects.bulk_create(to_create, batch_size=1000)
    touched = {eid for eid, _cid in scores}
    if to_create or to_update or to_delete:
        audit_log_record(actor=actor, action=f"component_scores.{source}", target=offering, data={
            "created": len(to_create), "updated": len(to_update), "deleted": len(to_delete), "reason": reason[:200]})
    return _recompute_finals(actor=actor, offering=offering, enrolment_ids=touched,
                             reason=reason or _("Component scores"), source=source)
