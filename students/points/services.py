"""The points ledger: the one way points are granted or reversed.

Other apps call `points_grant(...)` (or `points_grant_by_rule(...)` for the
configurable automatic rules); nothing else writes PointEntry or PointBalance.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError
from accounts.services import audit_log_record

from ..profiles.models import StudentProfile
from ..rankings.services import rankings_refresh_request
from .models import PointBalance, PointEntry, PointRule, PointSource

# Default automatic rules; school admins edit them in the Django admin (PointRule).
DEFAULT_RULES: list[tuple[str, str, int, str]] = [
    (PointSource.COURSE_GRADE, "A", 10, "Course grade 90-100"),
    (PointSource.COURSE_GRADE, "B", 7, "Course grade 80-89"),
    (PointSource.COURSE_GRADE, "C", 4, "Course grade 70-79"),
    (PointSource.COURSE_GRADE, "D", 2, "Course grade 60-69"),
    (PointSource.COMPETITION_AWARD, "national:first", 100, ""),
    (PointSource.COMPETITION_AWARD, "national:second", 80, ""),
    (PointSource.COMPETITION_AWARD, "national:third", 60, ""),
    (PointSource.COMPETITION_AWARD, "national:honourable", 30, ""),
    (PointSource.COMPETITION_AWARD, "national:participation", 10, ""),
    (PointSource.COMPETITION_AWARD, "provincial:first", 60, ""),
    (PointSource.COMPETITION_AWARD, "provincial:second", 45, ""),
    (PointSource.COMPETITION_AWARD, "provincial:third", 30, ""),
    (PointSource.COMPETITION_AWARD, "provincial:honourable", 15, ""),
    (PointSource.COMPETITION_AWARD, "provincial:participation", 5, ""),
    (PointSource.COMPETITION_AWARD, "school:first", 30, ""),
    (PointSource.COMPETITION_AWARD, "school:second", 20, ""),
    (PointSource.COMPETITION_AWARD, "school:third", 10, ""),
    (PointSource.COMPETITION_AWARD, "school:honourable", 5, ""),
    (PointSource.COMPETITION_AWARD, "school:participation", 2, ""),
    # A reviewed internship weekly log, by the lower of the mentor's and tutor's grades.
    (PointSource.INTERNSHIP_LOG, "A", 5, "Internship log graded excellent"),
    (PointSource.INTERNSHIP_LOG, "B", 4, "Internship log graded good"),
    (PointSource.INTERNSHIP_LOG, "C", 2, "Internship log graded pass"),
    (PointSource.LECTURE_ATTENDANCE, "attended", 3, "Attended an expert lecture"),
]


def grade_band(score: float) -> str | None:
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    if score >= 70:
        return "C"
    if score >= 60:
        return "D"
    return None


def point_rules_ensure_defaults() -> int:
    """Create the default rules that are missing (existing amounts are kept)."""
    created = PointRule.objects.bulk_create(
        [PointRule(source=s, key=k, amount=a, description=d) for s, k, a, d in DEFAULT_RULES], ignore_conflicts=True
    )
    return len(created)


def point_rule_amount(*, source: str, key: str) -> int | None:
    rule = PointRule.objects.filter(source=source, key=key, active=True).only("amount").first()
    if rule is None:
        default = {(s, k): a for s, k, a, _ in DEFAULT_RULES}.get((source, key))
        return default
    return rule.amount


# The ledger reason of a course grade's points (rendered in the reader's language).
COURSE_GRADE_REASON = gettext_noop("%(course)s: %(score)s")


def _plain_params(params: dict | None) -> dict:
    """Parameters as stored (JSON): numbers stay numbers, anything else becomes text."""
    return {k: v if isinstance(v, int | float) else str(v) for k, v in (params or {}).items()}


def _apply_to_balance(*, student_id: int, amount: int) -> None:
    # Atomic increment in the database: two concurrent grants both count.
    updated = PointBalance.objects.filter(student_id=student_id).update(total=F("total") + amount)
    if not updated:
        try:
            with transaction.atomic():
                PointBalance.objects.create(student_id=student_id, total=amount)
        except IntegrityError:
            # Another transaction created the row first; add to it.
            PointBalance.objects.filter(student_id=student_id).update(total=F("total") + amount)


# One grant moves a balance by at most this many points (2147483648 was a 500 and
# -1,000,000 took a balance of 219 to -999,781); larger ones need a real reason.
POINTS_MAX_GRANT = 1000
POINTS_LARGE_GRANT = 100
POINTS_LARGE_GRANT_REASON_CHARS = 10


@transaction.atomic
def points_grant(
    *,
    actor,
    student: StudentProfile | int,
    source: str,
    amount: int,
    reason: str,
    competency=None,
    term=None,
    reference: str = "",
    reason_params: dict | None = None,
) -> PointEntry:
    """Append one entry to the ledger and update the running total.

    `reason` is a source text marked with gettext_noop (filled from `reason_params`
    and translated for each reader), or free text a person typed.

    With a `reference`, the grant is idempotent: a second call for the same
    source object returns the existing entry instead of granting twice."""
    if source not in PointSource.values:
        raise ApplicationError(_("Unknown point source %(source)s.") % {"source": source}, code="invalid_source")
    if amount == 0:
        raise ApplicationError(_("A grant of zero points is not recorded."), code="zero_points")
    if not reason.strip():
        raise ApplicationError(_("Every grant needs a reason."), code="reason_required")
    if not isinstance(amount, int) or abs(amount) > POINTS_MAX_GRANT:
        raise ApplicationError(_("A grant is between -%(max)d and %(max)d points.") % {"max": POINTS_MAX_GRANT},
                               code="amount_out_of_range")
    if abs(amount) > POINTS_LARGE_GRANT and len(reason.strip()) < POINTS_LARGE_GRANT_REASON_CHARS:
        raise ApplicationError(
            _("A grant of more than %(large)d points needs a reason of at least %(chars)d characters.")
            % {"large": POINTS_LARGE_GRANT, "chars": POINTS_LARGE_GRANT_REASON_CHARS}, code="reason_too_short")
    student_id = student if isinstance(student, int) else student.pk
    if reference:
        existing = PointEntry.objects.filter(source=source, reference=reference, reverses__isnull=True).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            entry = PointEntry.objects.create(
                student_id=student_id, source=source, amount=amount, reason=reason[:300],
                reason_params=_plain_params(reason_params),
                competency=competency, term=term, granted_by=actor if getattr(actor, "pk", None) else None,
                reference=reference,
            )
    except IntegrityError:
        if reference:  # a concurrent identical grant won the race
            return PointEntry.objects.get(source=source, reference=reference, reverses__isnull=True)
        raise
    _apply_to_balance(student_id=student_id, amount=amount)
    rankings_refresh_request(points=True)
    audit_log_record(actor=actor, action="points.grant", target=entry,
                     data={"student": student_id, "amount": amount, "source": source})
    return entry


@transaction.atomic
def points_reverse(*, actor, entry: PointEntry | int, reason: str, reason_params: dict | None = None) -> PointEntry:
    """Cancel an entry with a new negative one; the original is never edited. `reason`
    is a source text (gettext_noop, with `reason_params`) or what a person typed."""
    entry_id = entry if isinstance(entry, int) else entry.pk
    original = PointEntry.objects.select_for_update().filter(pk=entry_id).first()
    if original is None:
        raise ApplicationError(_("No such point entry."), code="not_found", status_code=404)
    if original.reverses_id is not None:
        raise ApplicationError(_("A reversal cannot itself be reversed."), code="reversal_of_reversal")
    if PointEntry.objects.filter(reverses=original).exists():
        raise ApplicationError(_("This entry has already been reversed."), code="already_reversed")
    reversal = PointEntry.objects.create(
        student_id=original.student_id, source=original.source, amount=-original.amount,
        competency_id=original.competency_id, term_id=original.term_id,
        granted_by=actor if getattr(actor, "pk", None) else None,
        reason=(reason or gettext_noop("Reversal"))[:300], reason_params=_plain_params(reason_params),
        reference=original.reference, reverses=original,
    )
    _apply_to_balance(student_id=original.student_id, amount=-original.amount)
    rankings_refresh_request(points=True)
    audit_log_record(actor=actor, action="points.reverse", target=reversal, data={"reverses": original.pk})
    return reversal


def points_grant_teacher_award(*, actor, student: StudentProfile, amount: int, reason: str,
                               competency_id: int | None) -> PointEntry:
    """A teacher's (or school admin's) award: it names the competency it rewards — one of
    the student's major — and falls in the current term, so it counts toward that
    term's stars of skills like any other evidence."""
    from teachers.models import Competency
    from teachers.selectors import term_current

    competency = Competency.objects.filter(pk=competency_id, major_id=student.major_id).first() \
        if competency_id else None
    if competency is None:
        raise ApplicationError(_("Choose the competency this award rewards."), code="competency_required")
    term = term_current()
    if term is None:
        raise ApplicationError(_("No term has started yet: points cannot be granted."), code="no_term")
    return points_grant(actor=actor, student=student, source=PointSource.TEACHER_AWARD, amount=amount,
                        reason=reason, competency=competency, term=term)


def points_grant_by_rule(
    *, actor, student, source: str, key: str, reason: str, reference: str, competency=None, term=None,
    reason_params: dict | None = None,
) -> PointEntry | None:
    """Automatic points from the configurable rules (grade band, award level...)."""
    amount = point_rule_amount(source=source, key=key)
    if not amount:
        return None
    return points_grant(actor=actor, student=student, source=source, amount=amount, reason=reason,
                        competency=competency, term=term, reference=reference, reason_params=reason_params)


def points_grant_for_course_grade(*, actor, student, score: float, course_label: str, reference: str,
                                  term=None, competency=None) -> PointEntry | None:
    """Hook for the gradebook: points by grade band."""
    band = grade_band(score)
    if band is None:
        return None
    return points_grant_by_rule(actor=actor, student=student, source=PointSource.COURSE_GRADE, key=band,
                                reason=COURSE_GRADE_REASON, reason_params={"course": course_label, "score": f"{score:g}"},
                                reference=reference, term=term, competency=competency)


def points_sync_course_grades(*, user_ids) -> int:
    """Keep course-grade points in step with final grades (called when grades change).

    Each enrolment's points live under references `enrolment:<id>:v<n>`; when a
    grade moves to another band the active entry is reversed and a new version
    granted, so the ledger keeps the whole history. Returns the number of changes."""
    from teachers.models import Enrolment

    profiles = dict(StudentProfile.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "pk"))
    if not profiles:
        return 0
    enrolments = list(Enrolment.objects.filter(student_id__in=list(profiles))
                      .select_related("offering__course", "offering__term"))
    active: dict[int, PointEntry] = {}
    versions: dict[int, int] = {}
    existing = PointEntry.objects.filter(source=PointSource.COURSE_GRADE, student_id__in=list(profiles.values()),
                                         reference__startswith="enrolment:").select_related("reversed_by")
    for entry in existing:
        try:
            enrolment_id = int(entry.reference.split(":")[1])
        except (IndexError, ValueError):
            continue
        if entry.reverses_id is None:
            versions[enrolment_id] = versions.get(enrolment_id, 0) + 1
            if not hasattr(entry, "reversed_by"):
                active[enrolment_id] = entry
    changes = 0
    for enrolment in enrolments:
        band = grade_band(float(enrolment.score)) if enrolment.score is not None else None
        amount = point_rule_amount(source=PointSource.COURSE_GRADE, key=band) if band else 0
        current = active.get(enrolment.pk)
        if current is not None and current.amount == amount:
            continue
        if current is None and not amount:
            continue
        with transaction.atomic():
            if current is not None:
                points_reverse(actor=None, entry=current, reason=gettext_noop("Grade changed: %(course)s"),
                               reason_params={"course": str(enrolment.offering.course)})
            if amount:
                version = versions.get(enrolment.pk, 0) + 1
                points_grant(actor=enrolment.graded_by, student=profiles[enrolment.student_id],
                             source=PointSource.COURSE_GRADE, amount=amount, term=enrolment.offering.term,
                             reason=COURSE_GRADE_REASON,
                             reason_params={"course": str(enrolment.offering.course), "score": f"{enrolment.score:g}"},
                             reference=f"enrolment:{enrolment.pk}:v{version}")
        changes += 1
    return changes
