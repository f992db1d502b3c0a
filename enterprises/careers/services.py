"""Writes of careers after graduation: survey rounds (opened by beat), a graduate's
answer, the school's import, employers' feedback, and the hand-over of real outcomes to
the employment outlook (students.services.alumni_upsert_real)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Membership, Role, User
from accounts.services import audit_log_record, notification_send
from students.models import JobFamily, StudentProfile
from teachers.models import Competency

from .models import (
    PROGRAM_YEARS,
    SURVEY_OPEN_DAYS,
    WORKING_CATEGORIES,
    Destination,
    DestinationCategory,
    EmployerFeedback,
    FeedbackRating,
    SalaryBand,
    SurveyRound,
)

CITY_MAX = 60


def graduation_year_of(student: StudentProfile) -> int:
    return student.intake_year + PROGRAM_YEARS


def survey_round_get_or_create(*, graduation_year: int, kind: str) -> SurveyRound:
    if kind not in SurveyRound.Kind.values:
        raise ApplicationError(_("Unknown survey round."), code="invalid")
    opens = SurveyRound.opening_date(graduation_year, kind)
    survey_round, _created = SurveyRound.objects.get_or_create(
        graduation_year=graduation_year, kind=kind,
        defaults={"opens_on": opens, "closes_on": opens + datetime.timedelta(days=SURVEY_OPEN_DAYS)})
    return survey_round


def survey_rounds_open_due(*, today: datetime.date | None = None) -> list[SurveyRound]:
    """Beat: for every cohort with graduated students, open each round whose opening
    date has come (and whose answering window has not passed) and notify the cohort's
    graduates once. Idempotent: a round is created once and notified once."""
    today = today or timezone.localdate()
    intakes = (StudentProfile.objects.filter(status=StudentProfile.Status.GRADUATED)
               .values_list("intake_year", flat=True).distinct())
    notified = []
    for intake in sorted(set(intakes)):
        year = intake + PROGRAM_YEARS
        for kind in SurveyRound.Kind.values:
            opens = SurveyRound.opening_date(year, kind)
            if not (opens <= today <= opens + datetime.timedelta(days=SURVEY_OPEN_DAYS)):
                continue
            with transaction.atomic():
                survey_round = survey_round_get_or_create(graduation_year=year, kind=kind)
                survey_round = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
                if survey_round.notified_at is not None:
                    continue
                graduates = list(StudentProfile.objects.filter(
                    status=StudentProfile.Status.GRADUATED, intake_year=intake).values_list("user_id", flat=True))
                from django.urls import reverse

                notification_send(
                    recipients=graduates,
                    title=gettext_noop("Careers survey: where are you now? (%(round)s, class of %(year)s)"),
                    body=gettext_noop("Tell your school about your destination; it takes two minutes."),
                    url=reverse("enterprises:careers_survey_fill", kwargs={"round_id": survey_round.pk}),
                    params={"round": survey_round.kind, "year": year})
                survey_round.notified_at = timezone.now()
                survey_round.save(update_fields=["notified_at"])
                audit_log_record(actor=None, action="careers.survey_round.open", target=survey_round,
                                 data={"graduates": len(graduates)})
                notified.append(survey_round)
    return notified


# --- destinations ------------------------------------------------------------------

@dataclass
class DestinationData:
    category: str
    employer_name: str = ""
    position: str = ""
    job_family: str = ""
    counterpart: bool | None = None
    salary_band: str = ""
    city: str = ""
    started_on: datetime.date | None = None


def destination_validate(data: DestinationData) -> dict[str, list[str]]:
    """Field errors (empty when valid). Shared by the form, the API and the import."""
    errors: dict[str, list[str]] = {}
    if data.category not in DestinationCategory.values:
        errors["category"] = [_("Unknown destination category “%(value)s”.") % {"value": str(data.category)[:40]}]
    if data.job_family and data.job_family not in JobFamily.values:
        errors["job_family"] = [_("Unknown job family “%(value)s”.") % {"value": data.job_family[:40]}]
    if data.salary_band and data.salary_band not in SalaryBand.values:
        errors["salary_band"] = [_("Unknown salary band “%(value)s”.") % {"value": data.salary_band[:40]}]
    for name, limit in (("employer_name", 200), ("position", 120), ("city", CITY_MAX)):
        value = getattr(data, name)
        if len(value) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
        if "\x00" in value:
            errors[name] = [_("The text contains a NUL character.")]
    if data.category == DestinationCategory.EMPLOYED and not data.employer_name.strip():
        errors["employer_name"] = [_("Name the employer.")]
    if data.started_on and data.started_on > timezone.localdate() + datetime.timedelta(days=366):
        errors["started_on"] = [_("The date is too far in the future.")]
    return errors


def _normalise(data: DestinationData) -> DestinationData:
    data.employer_name, data.position, data.city = (data.employer_name.strip(), data.position.strip(),
                                                    data.city.strip())
    if data.category not in WORKING_CATEGORIES:
        # no job: no position, salary or counterpart (further study keeps its institution)
        data.position, data.salary_band, data.job_family, data.counterpart = "", "", "", None
        if data.category != DestinationCategory.FURTHER_STUDY:
            data.employer_name = ""
    return data


def _employer_match(name: str):
    from accounts.models import Organization

    if not name:
        return None
    return Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, name=name).first()


def _write(student: StudentProfile, survey_round: SurveyRound, data: DestinationData, *, actor: User,
           source: str, employers: dict | None = None) -> Destination:
    employer = (employers or {}).get(data.employer_name) if employers is not None else _employer_match(
        data.employer_name)
    destination, _created = Destination.objects.update_or_create(
        student=student, survey_round=survey_round,
        defaults={"graduation_year": survey_round.graduation_year, "major_id": student.major_id,
                  "school_class_id": student.school_class_id, "category": data.category,
                  "employer_name": data.employer_name, "employer": employer, "position": data.position,
                  "job_family": data.job_family, "counterpart": data.counterpart, "salary_band": data.salary_band,
                  "city": data.city, "started_on": data.started_on, "source": source, "recorded_by": actor})
    return destination


@transaction.atomic
def destination_submit(*, actor: User, survey_round: SurveyRound, data: DestinationData,
                       today: datetime.date | None = None) -> Destination:
    """A graduate answers an open round of their own cohort (again: the answer is replaced)."""
    today = today or timezone.localdate()
    student = StudentProfile.objects.filter(user=actor).first()
    if student is None or student.status != StudentProfile.Status.GRADUATED:
        raise NotPermitted(_("Only graduates answer the careers survey."))
    if graduation_year_of(student) != survey_round.graduation_year:
        raise NotPermitted(_("This survey is for another graduating class."))
    if not survey_round.is_open_on(today):
        raise ApplicationError(_("This survey round is closed."), code="round_closed")
    errors = destination_validate(data)
    if errors:
        raise ApplicationError(_("The submitted data is invalid."), code="invalid", extra=errors)
    destination = _write(student, survey_round, _normalise(data), actor=actor, source=Destination.Source.SURVEY)
    audit_log_record(actor=actor, action="careers.destination.submit", target=destination,
                     data={"category": destination.category})
    outlook_records_sync(student_ids=[student.pk])
    return destination


@transaction.atomic
def destinations_import_apply(*, actor: User, rows: list[tuple[StudentProfile, str, DestinationData]]) -> int:
    """Apply validated import rows (student, round kind, data) in one transaction."""
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators import destinations."))
    from accounts.models import Organization

    names = {data.employer_name for _s, _k, data in rows if data.employer_name}
    employers = {o.name: o for o in Organization.objects.filter(kind=Organization.Kind.ENTERPRISE, name__in=names)}
    rounds: dict[tuple[int, str], SurveyRound] = {}
    for student, kind, data in rows:
        key = (graduation_year_of(student), kind)
        if key not in rounds:
            rounds[key] = survey_round_get_or_create(graduation_year=key[0], kind=kind)
        _write(student, rounds[key], _normalise(data), actor=actor, source=Destination.Source.IMPORT,
               employers=employers)
    audit_log_record(actor=actor, action="careers.destination.import", target=None, data={"rows": len(rows)})
    outlook_records_sync(student_ids=[student.pk for student, _k, _d in rows])
    return len(rows)


# The outlook's outcome is the one six months after graduation (its definition); the
# graduation round stands in until the six-month answer exists.
OUTLOOK_ROUNDS = ("6m", "graduation")


def outlook_records_sync(*, student_ids: Iterable[int]) -> int:
    """Hand the graduates' real outcomes to the employment outlook (students below us
    keeps the alumni table): working destinations are employment in their job family,
    "not yet employed" is not; further study and enlistment are not job-market outcomes
    and are left out of the outlook."""
    from students.services import alumni_upsert_real

    ids = sorted(set(student_ids))
    if not ids:
        return 0
    best: dict[int, Destination] = {}
    for d in (Destination.objects.filter(student_id__in=ids, survey_round__kind__in=OUTLOOK_ROUNDS)
              .select_related("survey_round")):
        current = best.get(d.student_id)
        if current is None or OUTLOOK_ROUNDS.index(d.survey_round.kind) < OUTLOOK_ROUNDS.index(
                current.survey_round.kind):
            best[d.student_id] = d
    outcomes: dict[int, tuple | None] = {}
    for sid in ids:
        d = best.get(sid)
        if d is None or d.category not in (*WORKING_CATEGORIES, DestinationCategory.NOT_EMPLOYED):
            outcomes[sid] = None
        else:
            outcomes[sid] = (d.category in WORKING_CATEGORIES, d.job_family, d.salary_band, d.graduation_year)
    return alumni_upsert_real(outcomes=outcomes)


# --- employer feedback -------------------------------------------------------------

def feedback_kind_for(*, organization_id: int, student: StudentProfile) -> str | None:
    """How the organisation knows the student: "graduate" when a destination names it as
    the employer, "intern" when the student accepted its internship offer or holds an
    active or finished placement there (offers and a class assigned to a practice base
    both make placements); None: it may not rate them."""
    from ..models import Application, Placement, Posting

    if Destination.objects.filter(student=student, employer_id=organization_id,
                                  category__in=WORKING_CATEGORIES).exists():
        return EmployerFeedback.Kind.GRADUATE
    accepted = Application.objects.filter(student=student, posting__organization_id=organization_id,
                                          stage=Application.Stage.ACCEPTED)
    if accepted.filter(posting__kind=Posting.Kind.INTERNSHIP).exists() or Placement.objects.filter(
            student=student, organization_id=organization_id,
            status__in=[Placement.Status.ACTIVE, Placement.Status.FINISHED]).exists():
        return EmployerFeedback.Kind.INTERN
    if accepted.exists():
        return EmployerFeedback.Kind.GRADUATE
    return None


def feedback_rounds_for(*, student: StudentProfile, kind: str) -> list[SurveyRound]:
    """The rounds an employer may rate the student in: those of the student's class that
    have opened; an intern (not yet graduated) also in the class's graduation round,
    created here when it does not exist yet (hence a service, not a selector)."""
    year = student.intake_year + PROGRAM_YEARS
    rounds = list(SurveyRound.objects.filter(graduation_year=year, opens_on__lte=timezone.localdate()))
    if kind == "intern" and not any(r.kind == SurveyRound.Kind.GRADUATION for r in rounds):
        rounds.append(survey_round_get_or_create(graduation_year=year, kind=SurveyRound.Kind.GRADUATION))
    return sorted(rounds, key=lambda r: r.opens_on)


@transaction.atomic
def feedback_submit(*, actor: User, organization_id: int, student: StudentProfile, survey_round: SurveyRound,
                    ratings: dict[str, int], comment: str = "") -> EmployerFeedback:
    """The employer rates one intern or graduate on every competency of the major
    (1–5) with a comment, once per survey round (a second time: 409)."""
    if actor.role != Role.ENTERPRISE or not Membership.objects.filter(
            user=actor, organization_id=organization_id).exists():
        raise NotPermitted(_("Only the enterprise's staff give its feedback."))
    kind = feedback_kind_for(organization_id=organization_id, student=student)
    if kind is None:
        raise NotPermitted(_("Your organisation neither hosts nor employs this student."))
    if survey_round.graduation_year != graduation_year_of(student):
        raise ApplicationError(_("This survey round is for another graduating class."), code="invalid")
    if kind == EmployerFeedback.Kind.GRADUATE and survey_round.opens_on > timezone.localdate():
        raise ApplicationError(_("This survey round has not opened yet."), code="round_not_open")
    competencies = {c.code: c for c in Competency.objects.filter(major_id=student.major_id)}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(ratings) - set(competencies))
    if unknown:
        errors["ratings"] = [_("Unknown competencies: %(codes)s.") % {"codes": ", ".join(unknown)[:200]}]
    missing = sorted(set(competencies) - set(ratings))
    if missing:
        errors.setdefault("ratings", []).append(
            _("Rate every competency of the major; missing: %(codes)s.") % {"codes": ", ".join(missing)})
    for code, value in ratings.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors.setdefault("ratings", []).append(_("%(code)s: a rating is a whole number from 1 to 5.")
                                                    % {"code": code[:40]})
    if len(comment) > 2000 or "\x00" in comment:
        errors["comment"] = [_("At most 2,000 characters of text.")]
    if errors:
        raise ApplicationError(_("The submitted data is invalid."), code="invalid", extra=errors)
    if EmployerFeedback.objects.filter(organization_id=organization_id, student=student,
                                       survey_round=survey_round).exists():
        raise ApplicationError(_("Your organisation has already rated this student in this round."),
                               code="conflict", status_code=409)
    try:
        with transaction.atomic():
            feedback = EmployerFeedback.objects.create(
                organization_id=organization_id, student=student, survey_round=survey_round, kind=kind,
                major_id=student.major_id, year=survey_round.opens_on.year, comment=comment.strip(),
                created_by=actor)
    except IntegrityError:  # a concurrent second submission
        raise ApplicationError(_("Your organisation has already rated this student in this round."),
                               code="conflict", status_code=409) from None
    FeedbackRating.objects.bulk_create([FeedbackRating(feedback=feedback, competency=competencies[code],
                                                       rating=value) for code, value in ratings.items()])
    audit_log_record(actor=actor, action="careers.feedback.submit", target=feedback,
                     data={"student": student.pk, "round": survey_round.pk})
    return feedback
