"""Two-way selection rounds: students apply and rank, options rank their applicants,
the school computes the student-proposing deferred-acceptance assignment
(projects/matching.py), explains it to every student and confirms it; a second round
takes the unplaced. One workflow for order classes and graduation topics."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record, notification_send
from students.models import StudentProfile

from .matching import deferred_acceptance, explain
from .models import (
    GraduationDesign,
    GraduationTopic,
    OrderClass,
    OrderClassMember,
    SelectionApplication,
    SelectionOption,
    SelectionOutcome,
    SelectionRound,
)
from .permissions import is_enterprise_member


def user_owns_option(*, user: User, option: SelectionOption) -> bool:
    """The enterprise of an order class, the two tutors of a topic, school administrators."""
    if user.role == Role.SCHOOL_ADMIN:
        return True
    if option.order_class_id:
        return is_enterprise_member(user, option.order_class.enterprise_id)
    topic = option.topic
    return user.pk in (topic.school_tutor_id, topic.enterprise_tutor_id)


def _require_admin(actor: User) -> None:
    if actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators run selection rounds."))


def _placed_student_ids(kind: str) -> QuerySet:
    if kind == SelectionRound.Kind.ORDER_CLASS:
        return OrderClassMember.objects.values("student_id")
    return GraduationDesign.objects.values("student_id")


@transaction.atomic
def selection_round_create(*, actor: User, kind: str, title: str, major, intake_year: int, apply_deadline,
                           options: Sequence[tuple[object, int]], max_choices: int = 10,
                           previous: SelectionRound | None = None) -> SelectionRound:
    """`options`: [(OrderClass or GraduationTopic, capacity)]."""
    _require_admin(actor)
    if kind not in SelectionRound.Kind.values:
        raise ApplicationError(_("Unknown kind of round."), code="invalid_kind")
    if not title.strip():
        raise ApplicationError(_("Give the round a title."), code="title_required")
    if not options:
        raise ApplicationError(_("A round needs at least one option."), code="no_options")
    if not 1 <= int(max_choices) <= 50:
        raise ApplicationError(_("Students may rank between 1 and 50 options."), code="max_choices")
    if apply_deadline <= timezone.now():
        raise ApplicationError(_("The application deadline must be in the future."), code="deadline_past")
    expected = OrderClass if kind == SelectionRound.Kind.ORDER_CLASS else GraduationTopic
    targets = [target for target, _capacity in options]
    if len({t.pk for t in targets}) != len(targets):
        raise ApplicationError(_("An option is listed twice."), code="duplicate_option")
    for target, capacity in options:
        if not isinstance(target, expected):
            raise ApplicationError(_("Every option must match the kind of round."), code="option_kind")
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity <= 0:
            raise ApplicationError(_("Every capacity must be at least 1."), code="invalid_capacity")
        if isinstance(target, GraduationTopic) and target.status != GraduationTopic.Status.APPROVED:
            raise ApplicationError(_("Only approved topics can be chosen."), code="topic_not_approved")
        if target.major_id != major.pk:
            raise ApplicationError(_("Every option must belong to the round's major."), code="option_major")
    selection_round = SelectionRound.objects.create(
        kind=kind, title=title.strip()[:200], major=major, intake_year=intake_year, apply_deadline=apply_deadline,
        max_choices=max_choices, created_by=actor, previous=previous,
        number=(previous.number + 1) if previous else 1)
    SelectionOption.objects.bulk_create([
        SelectionOption(round=selection_round, capacity=capacity,
                        order_class=target if kind == SelectionRound.Kind.ORDER_CLASS else None,
                        topic=target if kind == SelectionRound.Kind.GRADUATION else None)
        for target, capacity in options])
    audit_log_record(actor=actor, action="selection.create", target=selection_round,
                     data={"options": len(options), "previous": previous.pk if previous else None})
    return selection_round


def _student_for(actor: User, selection_round: SelectionRound) -> StudentProfile:
    profile = StudentProfile.objects.filter(user=actor).first()
    if actor.role != Role.STUDENT or profile is None:
        raise NotPermitted(_("Only students apply in a selection round."))
    if profile.major_id != selection_round.major_id or profile.intake_year != selection_round.intake_year:
        raise ApplicationError(_("This round is for another major or intake year."), code="not_eligible")
    if _placed_student_ids(selection_round.kind).filter(student_id=profile.pk).exists():
        raise ApplicationError(_("You already have a place."), code="already_placed")
    return profile


def _require_open(selection_round: SelectionRound) -> None:
    if selection_round.status != SelectionRound.Status.OPEN or timezone.now() > selection_round.apply_deadline:
        raise ApplicationError(_("Applications for this round are closed."), code="round_closed")


@transaction.atomic
def selection_apply(*, actor: User, option: SelectionOption, statement: str = "") -> SelectionApplication:
    """Apply to one option; it goes to the end of the student's list (reorder with selection_rank)."""
    selection_round = SelectionRound.objects.select_for_update().get(pk=option.round_id)
    _require_open(selection_round)
    student = _student_for(actor, selection_round)
    mine = SelectionApplication.objects.filter(round=selection_round, student=student)
    if mine.filter(option=option).exists():
        raise ApplicationError(_("You have already applied to this option."), code="already_applied")
    if mine.count() >= selection_round.max_choices:
        raise ApplicationError(_("You may apply to at most %(n)d options.") % {"n": selection_round.max_choices},
                               code="too_many_choices")
    rank = (mine.aggregate(m=Max("student_rank"))["m"] or 0) + 1
    application = SelectionApplication.objects.create(round=selection_round, option=option, student=student,
                                                      student_rank=rank, statement=statement.strip()[:2000])
    audit_log_record(actor=actor, action="selection.apply", target=application)
    return application


@transaction.atomic
def selection_withdraw(*, actor: User, application: SelectionApplication) -> None:
    selection_round = SelectionRound.objects.select_for_update().get(pk=application.round_id)
    _require_open(selection_round)
    if application.student.user_id != actor.pk:
        raise NotPermitted(_("This is not your application."))
    student_id = application.student_id
    application.delete()
    rest = list(SelectionApplication.objects.filter(round=selection_round, student_id=student_id)
                .order_by("student_rank"))
    _renumber(rest)
    audit_log_record(actor=actor, action="selection.withdraw", target=selection_round)


def _renumber(applications: list[SelectionApplication]) -> None:
    # Two passes keep the (round, student, rank) constraint satisfied at every step.
    offset = 1000
    for i, application in enumerate(applications, start=1):
        application.student_rank = offset + i
    SelectionApplication.objects.bulk_update(applications, ["student_rank"])
    for i, application in enumerate(applications, start=1):
        application.student_rank = i
    SelectionApplication.objects.bulk_update(applications, ["student_rank"])


@transaction.atomic
def selection_rank(*, actor: User, selection_round: SelectionRound, option_ids: Sequence[int]) -> list[int]:
    """The student's order of preference over exactly the options they applied to."""
    selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    _require_open(selection_round)
    student = _student_for(actor, selection_round)
    option_ids = [int(x) for x in option_ids]
    if len(set(option_ids)) != len(option_ids):
        raise ApplicationError(_("An option is ranked twice."), code="duplicate_rank")
    applications = {a.option_id: a for a in SelectionApplication.objects.filter(round=selection_round,
                                                                                 student=student)}
    unknown = [x for x in option_ids if x not in applications]
    if unknown:
        raise ApplicationError(_("You ranked an option you did not apply to."), code="not_applied")
    if set(option_ids) != set(applications):
        raise ApplicationError(_("Rank every option you applied to (withdraw the ones you no longer want)."),
                               code="incomplete_rank")
    _renumber([applications[x] for x in option_ids])
    audit_log_record(actor=actor, action="selection.rank", target=selection_round, data={"order": option_ids})
    return option_ids


@transaction.atomic
def selection_close(*, actor: User, selection_round: SelectionRound) -> SelectionRound:
    """Applications close; the options now rank their applicants."""
    _require_admin(actor)
    selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    if selection_round.status != SelectionRound.Status.OPEN:
        raise ApplicationError(_("This round is not open."), code="state")
    selection_round.status = SelectionRound.Status.RANKING
    selection_round.save(update_fields=["status"])
    _fit_scores_fill(selection_round)
    audit_log_record(actor=actor, action="selection.close", target=selection_round)
    return selection_round


def _fit_scores_fill(selection_round: SelectionRound) -> None:
    """Each applicant's fit: their mean competency attainment (the radar), 0–100, a
    default order for options that rank by interview score then fit."""
    from students.selectors import attainments_for_students

    applications = list(SelectionApplication.objects.filter(round=selection_round))
    attainments = attainments_for_students(student_ids={a.student_id for a in applications})
    for application in applications:
        values = list(attainments.get(application.student_id, {}).values())
        application.fit_score = (Decimal(100 * sum(values) / len(values)).quantize(Decimal("0.01"))
                                 if values else None)
    SelectionApplication.objects.bulk_update(applications, ["fit_score"], batch_size=2000)


@transaction.atomic
def selection_option_rank(*, actor: User, option: SelectionOption, student_numbers: Sequence[str] | None = None,
                          interview_scores: dict[str, object] | None = None) -> list[str]:
    """The option's order of its applicants, best first; applicants left out are not
    acceptable to it. Without an explicit order the applicants are ordered by interview
    score, then fit."""
    option = SelectionOption.objects.select_related("round", "order_class", "topic").get(pk=option.pk)
    if not user_owns_option(user=actor, option=option):
        raise NotPermitted(_("Only the option's enterprise or tutors rank its applicants."))
    if option.round.status not in (SelectionRound.Status.RANKING, SelectionRound.Status.COMPUTED):
        raise ApplicationError(_("Applicants are ranked after applications close and before confirmation."),
                               code="state")
    applications = {a.student.student_number: a for a in
                    SelectionApplication.objects.filter(option=option).select_related("student")}
    for number, raw in (interview_scores or {}).items():
        if number not in applications:
            raise ApplicationError(_("%(number)s did not apply to this option.") % {"number": number},
                                   code="not_applicant")
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            value = Decimal("-1")
        if not value.is_finite() or not 0 <= value <= 100:
            raise ApplicationError(_("Interview scores are from 0 to 100."), code="invalid_score")
        applications[number].interview_score = value
    if student_numbers is None:
        student_numbers = sorted(applications, key=lambda n: (-(applications[n].interview_score or -1),
                                                              -(applications[n].fit_score or -1), n))
    student_numbers = [str(n) for n in student_numbers]
    if len(set(student_numbers)) != len(student_numbers):
        raise ApplicationError(_("A student is ranked twice."), code="duplicate_rank")
    strangers = [n for n in student_numbers if n not in applications]
    if strangers:
        raise ApplicationError(_("%(number)s did not apply to this option.") % {"number": strangers[0]},
                               code="not_applicant")
    position = {n: i for i, n in enumerate(student_numbers, start=1)}
    for number, application in applications.items():
        application.option_rank = position.get(number)
    SelectionApplication.objects.bulk_update(list(applications.values()), ["option_rank", "interview_score"])
    audit_log_record(actor=actor, action="selection.option_rank", target=option,
                     data={"ranked": len(student_numbers)})
    return student_numbers


def selection_round_inputs(*, selection_round: SelectionRound) -> dict:
    """The engine's inputs, keyed by option id and student number (the API's shape)."""
    capacities = {o.pk: o.capacity for o in selection_round.options.all()}
    student_prefs: dict[str, list[int]] = {}
    option_prefs: dict[int, list[tuple[int, str]]] = {pk: [] for pk in capacities}
    rows = (SelectionApplication.objects.filter(round=selection_round)
            .order_by("student__student_number", "student_rank")
            .values_list("student__student_number", "option_id", "option_rank"))
    for number, option_id, option_rank in rows:
        student_prefs.setdefault(number, []).append(option_id)
        if option_rank is not None:
            option_prefs[option_id].append((option_rank, number))
    return {"capacities": capacities, "student_preferences": student_prefs,
            "option_preferences": {pk: [n for _r, n in sorted(v)] for pk, v in option_prefs.items()}}


@transaction.atomic
def selection_compute(*, actor: User, selection_round: SelectionRound) -> dict[str, int | None]:
    """Run deferred acceptance and store each student's outcome with its explanation.
    Deterministic: computing twice stores the same result."""
    _require_admin(actor)
    selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    if selection_round.status not in (SelectionRound.Status.RANKING, SelectionRound.Status.COMPUTED):
        raise ApplicationError(_("Close applications before computing, and compute before confirming."),
                               code="state")
    data = selection_round_inputs(selection_round=selection_round)
    assignment = deferred_acceptance(data["capacities"], data["student_preferences"], data["option_preferences"])
    reasons = explain(data["capacities"], data["student_preferences"], data["option_preferences"], assignment)
    students = dict(StudentProfile.objects.filter(student_number__in=list(assignment))
                    .values_list("student_number", "pk"))
    SelectionOutcome.objects.filter(round=selection_round).delete()
    SelectionOutcome.objects.bulk_create([
        SelectionOutcome(
            round=selection_round, student_id=students[number], option_id=option_id,
            choice_rank=(data["student_preferences"][number].index(option_id) + 1) if option_id else None,
            explanation=[{"option": r.option, "student_rank": r.student_rank, "reason": r.code,
                          "own_rank": r.own_rank, "cutoff_rank": r.cutoff_rank} for r in reasons[number]])
        for number, option_id in sorted(assignment.items())], batch_size=2000)
    selection_round.status = SelectionRound.Status.COMPUTED
    selection_round.computed_at = timezone.now()
    selection_round.save(update_fields=["status", "computed_at"])
    placed = sum(1 for v in assignment.values() if v is not None)
    audit_log_record(actor=actor, action="selection.compute", target=selection_round,
                     data={"students": len(assignment), "placed": placed})
    return assignment


@transaction.atomic
def selection_confirm(*, actor: User, selection_round: SelectionRound) -> int:
    """Make the computed assignment final: order-class members or graduation designs,
    and a message to every applicant explaining their result."""
    _require_admin(actor)
    selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    if selection_round.status != SelectionRound.Status.COMPUTED:
        raise ApplicationError(_("Compute the assignment before confirming it."), code="state")
    outcomes = list(SelectionOutcome.objects.filter(round=selection_round)
                    .select_related("option__order_class", "option__topic", "student"))
    placed = [o for o in outcomes if o.option_id]
    if selection_round.kind == SelectionRound.Kind.ORDER_CLASS:
        OrderClassMember.objects.bulk_create([OrderClassMember(order_class=o.option.order_class, student=o.student,
                                                               round=selection_round) for o in placed])
    else:
        GraduationDesign.objects.bulk_create([GraduationDesign(topic=o.option.topic, student=o.student)
                                              for o in placed])
    selection_round.status = SelectionRound.Status.CONFIRMED
    selection_round.confirmed_by = actor
    selection_round.confirmed_at = timezone.now()
    selection_round.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    url = reverse("projects:round_detail", args=[selection_round.pk])
    for outcome in placed:
        notification_send(recipients=[outcome.student.user_id],
                          title=gettext_noop("Selection result: admitted to %(option)s (your choice %(rank)s)"),
                          params={"option": str(outcome.option.target.title), "rank": outcome.choice_rank}, url=url)
    unplaced = [o.student.user_id for o in outcomes if not o.option_id]
    notification_send(recipients=unplaced, title=gettext_noop("Selection result for %(round)s: not placed yet"),
                      params={"round": selection_round.title}, url=url)
    audit_log_record(actor=actor, action="selection.confirm", target=selection_round, data={"placed": len(placed)})
    return len(placed)


@transaction.atomic
def selection_second_round(*, actor: User, selection_round: SelectionRound, apply_deadline,
                           title: str = "") -> SelectionRound:
    """A new round for the unplaced, over the options' remaining seats."""
    _require_admin(actor)
    selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    if selection_round.status != SelectionRound.Status.CONFIRMED:
        raise ApplicationError(_("Confirm this round before opening the next one."), code="state")
    if selection_round.next_rounds.exists():
        raise ApplicationError(_("The next round is already open."), code="exists")
    filled: dict[int, int] = {}
    for option_id in SelectionOutcome.objects.filter(round=selection_round, option__isnull=False) \
            .values_list("option_id", flat=True):
        filled[option_id] = filled.get(option_id, 0) + 1
    options = [(o.target, o.capacity - filled.get(o.pk, 0))
               for o in selection_round.options.select_related("order_class", "topic")
               if o.capacity - filled.get(o.pk, 0) > 0]
    if not options:
        raise ApplicationError(_("Every seat is taken: there is nothing left for a second round."), code="full")
    return selection_round_create(
        actor=actor, kind=selection_round.kind, title=title or f"{selection_round.title} · {selection_round.number + 1}",
        major=selection_round.major, intake_year=selection_round.intake_year, apply_deadline=apply_deadline,
        options=options, max_choices=selection_round.max_choices, previous=selection_round)
