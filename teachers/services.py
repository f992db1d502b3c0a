"""Writes for the curriculum and gradebooks: keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError
from accounts.models import User
from accounts.services import audit_log_record

from . import roster
from .models import CourseCompetencyWeight, CourseOffering, Enrolment, GradeChange, Program, ProgramCourse
from .signals import grades_changed

SCORE_MIN, SCORE_MAX = Decimal("0"), Decimal("100")


def score_parse(value) -> Decimal | None:
    """'' / None → no grade; otherwise a number 0..100 with at most two decimals."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN from pandas
            return None
        value = repr(value)
    text = str(value).strip()
    if text == "":
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        raise ApplicationError(_("“%(value)s” is not a number.") % {"value": text}, code="score_not_a_number") from None
    if not score.is_finite() or score < SCORE_MIN or score > SCORE_MAX:
        raise ApplicationError(_("Score %(value)s is outside 0–100.") % {"value": text}, code="score_out_of_range")
    return score.quantize(Decimal("0.01"))


def _apply(
    *, actor: User | None, changes: list[tuple[Enrolment, Decimal | None]], source: str, reason: str = ""
) -> int:
    """Write score changes with their audit trail and tell listeners (the radar)."""
    now = timezone.now()
    changed: list[Enrolment] = []
    trail: list[GradeChange] = []
    for enrolment, score in changes:
        if enrolment.score == score:
            continue
        trail.append(GradeChange(enrolment=enrolment, previous_score=enrolment.score, new_score=score,
                                 changed_by=actor, source=source, reason=reason[:200]))
        enrolment.score = score
        enrolment.graded_by = actor
        enrolment.graded_at = now
        changed.append(enrolment)
    if not changed:
        return 0
    Enrolment.objects.bulk_update(changed, ["score", "graded_by", "graded_at"], batch_size=1000)
    GradeChange.objects.bulk_create(trail, batch_size=1000)
    offering_ids = sorted({e.offering_id for e in changed})
    audit_log_record(actor=actor, action=f"grades.{source}", data={
        "offerings": offering_ids, "changed": len(changed), "reason": reason[:200],
    })
    grades_changed.send(sender=Enrolment, user_ids=[e.student_id for e in changed])
    return len(changed)


@transaction.atomic
def grade_set(*, actor: User | None, enrolment: Enrolment, score, reason: str = "") -> Enrolment:
    """Enter or correct one final grade. A correction of an existing grade needs a reason."""
    value = score_parse(score)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.score is not None and value != enrolment.score and not reason.strip():
        raise ApplicationError(_("Give a reason when you correct a grade."), code="reason_required")
    _apply(actor=actor, changes=[(enrolment, value)], source=GradeChange.Source.MANUAL, reason=reason)
    return enrolment


@transaction.atomic
def gradebook_save(
    *, actor: User | None, offering: CourseOffering, scores: dict[int, object], reason: str = ""
) -> int:
    """Save the gradebook form: {enrolment_id: raw score}. All or nothing: one invalid
    value raises ApplicationError with `extra` = {enrolment_id: message}."""
    if offering.components.exists():
        raise ApplicationError(_("This offering is graded by components: its finals are computed."),
                               code="graded_by_components")
    enrolments = {e.pk: e for e in Enrolment.objects.select_for_update().filter(offering=offering)}
    errors: dict[int, str] = {}
    changes: list[tuple[Enrolment, Decimal | None]] = []
    corrections = 0
    for enrolment_id, raw in scores.items():
        enrolment = enrolments.get(enrolment_id)
        if enrolment is None:
            errors[enrolment_id] = _("Not a student of this offering.")
            continue
        try:
            value = score_parse(raw)
        except ApplicationError as exc:
            errors[enrolment_id] = str(exc.message)
            continue
        if value != enrolment.score:
            if enrolment.score is not None:
                corrections += 1
            changes.append((enrolment, value))
    if corrections and not reason.strip():
        errors[0] = _("Give a reason when you correct grades that were already entered.")
    if errors:
        raise ApplicationError(_("Nothing was saved: fix the marked grades."), code="invalid_grades", extra=errors)
    return _apply(actor=actor, changes=changes, source=GradeChange.Source.MANUAL, reason=reason)


@transaction.atomic
def grades_import_apply(
    *, actor: User | None, offering: CourseOffering, rows: Iterable[tuple[int, Decimal | None]], reason: str = ""
) -> int:
    """Apply validated import rows [(enrolment_id, score)] at once."""
    rows = list(rows)
    enrolments = Enrolment.objects.select_for_update().in_bulk([eid for eid, _ in rows])
    changes = [(enrolments[eid], score) for eid, score in rows if enrolments[eid].offering_id == offering.pk]
    return _apply(actor=actor, changes=changes, source=GradeChange.Source.IMPORT, reason=reason or _("Import"))


@transaction.atomic
def offering_create(
    *, actor: User | None, course, term, school_class, teacher: User | None = None, enrol_class: bool = True
) -> CourseOffering:
    """Create an offering and enrol every student of the class."""
    if CourseOffering.objects.filter(course=course, term=term, school_class=school_class).exists():
        raise ApplicationError(_("This course is already offered to this class in this term."), code="duplicate_offering")
    offering = CourseOffering.objects.create(course=course, term=term, school_class=school_class, teacher=teacher)
    if enrol_class:
        user_ids = roster.user_ids_in_class(class_id=school_class.pk)
        Enrolment.objects.bulk_create([Enrolment(offering=offering, student_id=uid) for uid in user_ids])
    audit_log_record(actor=actor, action="offering.create", target=offering)
    return offering


def program_course_validate(*, weights: dict[int, Decimal], major_id: int, competency_majors: dict[int, int]) -> None:
    """Weights must be non-negative, belong to the program's major, and at least one positive."""
    if any(w < 0 for w in weights.values()):
        raise ApplicationError(_("Competency weights cannot be negative."), code="negative_weight")
    if any(competency_majors.get(cid) != major_id for cid in weights):
        raise ApplicationError(_("A weight points to a competency of another major."), code="foreign_competency")
    if not any(w > 0 for w in weights.values()):
        raise ApplicationError(_("Every course must build at least one competency (a positive weight)."),
                               code="no_competency")


@transaction.atomic
def program_course_set(
    *, actor: User | None, program: Program, course, credits: Decimal, semester: int, weights: dict[int, Decimal]
) -> ProgramCourse:
    """Add or update a course in a program with its credits and competency weights."""
    from .models import Competency

    if credits is None or Decimal(credits) <= 0:
        raise ApplicationError(_("Credits must be positive."), code="credits")
    competency_majors = dict(Competency.objects.filter(pk__in=list(weights)).values_list("pk", "major_id"))
    program_course_validate(weights=weights, major_id=program.major_id, competency_majors=competency_majors)
    pc, _created = ProgramCourse.objects.update_or_create(
        program=program, course=course, defaults={"credits": credits, "semester": semester}
    )
    CourseCompetencyWeight.objects.filter(program_course=pc).exclude(competency_id__in=list(weights)).delete()
    for cid, weight in weights.items():
        CourseCompetencyWeight.objects.update_or_create(program_course=pc, competency_id=cid, defaults={"weight": weight})
    audit_log_record(actor=actor, action="program.course_set", target=pc, data={
        "credits": str(credits), "weights": {str(k): str(v) for k, v in weights.items()}})
    program_students_notify(program=program)
    return pc


def program_students_notify(*, program: Program) -> None:
    """Credits and weights change every denominator of the program: tell the listeners
    (the radar recomputes the program's students)."""
    user_ids = roster.user_ids_in_cohort(major_id=program.major_id, intake_year=program.intake_year)
    if user_ids:
        grades_changed.send(sender=ProgramCourse, user_ids=user_ids)
