"""Writes of the evaluations app: rubric templates, rounds, invitations and submissions.

Finalisation (set-based, many rounds at once) is in evaluations/finalisation.py; appeals
and joint rewards in evaluations/rewards.py."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record, notification_send
from students.models import StudentProfile
from teachers.models import Competency

from . import scoring
from .models import (
    Appeal,
    DimensionCompetency,
    Invitation,
    Party,
    PracticeActivity,
    Round,
    RubricCriterion,
    RubricDimension,
    RubricParty,
    RubricTemplate,
    Submission,
)
from .subjects import subject_get, user_can_organise

PARTY_ROLES = {Party.TEACHER: Role.TEACHER, Party.MENTOR: Role.ENTERPRISE, Party.MASTER: Role.INDUSTRY,
               Party.PEER: Role.STUDENT}
WEIGHT_TOLERANCE = Decimal("0.001")


def _decimal(value: Any, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError(_("%(field)s: not a number.") % {"field": field}, code="invalid_number") from None
    if not number.is_finite():
        raise ApplicationError(_("%(field)s: not a number.") % {"field": field}, code="invalid_number")
    return number


def _check_sum(weights: Iterable[Decimal], *, what: str) -> None:
    total = sum(weights, Decimal(0))
    if abs(total - 1) > WEIGHT_TOLERANCE:
        raise ApplicationError(_("The %(what)s weights sum to %(total)s, not 1.") % {"what": what, "total": total},
                               code="weights_do_not_sum_to_one")


# --- Rubric templates ------------------------------------------------------------


def rubric_template_spec(template: RubricTemplate) -> dict:
    """A template as plain data (what `rubric_template_save` takes)."""
    return {
        "family": template.family, "name": template.name, "name_en": template.name_en,
        "major_id": template.major_id,
        "excellent_threshold": template.excellent_threshold, "excellent_top_share": template.excellent_top_share,
        "reward_points": template.reward_points, "appeal_days": template.appeal_days,
        "parties": {p.party: {"weight": p.weight, "required": p.required} for p in template.parties.all()},
        "dimensions": [
            {"code": d.code, "name": d.name, "name_en": d.name_en, "weight": d.weight,
             "criteria": [{"code": c.code, "name": c.name, "name_en": c.name_en, "weight": c.weight}
                          for c in d.criteria.all()],
             "competencies": {m.competency_id: m.weight for m in d.competency_links.all()}}
            for d in template.dimensions.all()
        ],
    }


def _validate_spec(spec: Mapping) -> dict:
    parties = {}
    for party, entry in (spec.get("parties") or {}).items():
        if party not in scoring_parties():
            raise ApplicationError(_("Unknown party %(party)s.") % {"party": party}, code="unknown_party")
        weight = _decimal(entry.get("weight"), field=str(Party(party).label))
        if weight <= 0 or weight > 1:
            raise ApplicationError(_("A party weight must be above 0 and at most 1."), code="invalid_weight")
        parties[party] = {"weight": weight, "required": bool(entry.get("required"))}
    if not parties:
        raise ApplicationError(_("A template needs at least one party."), code="no_parties")
    _check_sum((p["weight"] for p in parties.values()), what=_("party"))
    if not any(p["required"] for p in parties.values()):
        raise ApplicationError(_("At least one party must be required."), code="no_required_party")
    dimensions = []
    seen = set()
    for d in spec.get("dimensions") or []:
        code = str(d.get("code") or "").strip()
        if not code or code in seen:
            raise ApplicationError(_("Every dimension needs its own code."), code="invalid_dimension")
        seen.add(code)
        weight = _decimal(d.get("weight"), field=code)
        if weight <= 0 or weight > 1:
            raise ApplicationError(_("A dimension weight must be above 0 and at most 1."), code="invalid_weight")
        criteria = []
        for c in d.get("criteria") or []:
            cw = _decimal(c.get("weight"), field=f"{code}/{c.get('code')}")
            if cw <= 0 or cw > 1:
                raise ApplicationError(_("A sub-criterion weight must be above 0 and at most 1."),
                                       code="invalid_weight")
            criteria.append({**c, "weight": cw})
        if criteria:
            _check_sum((c["weight"] for c in criteria), what=_("sub-criterion"))
        competencies = {}
        for competency_id, cw in (d.get("competencies") or {}).items():
            value = _decimal(cw, field=f"{code}/{competency_id}")
            if value < 0:
                raise ApplicationError(_("A competency weight cannot be negative."), code="invalid_weight")
            if value > 0:
                competencies[int(competency_id)] = value
        dimensions.append({**d, "code": code, "weight": weight, "criteria": criteria, "competencies": competencies})
    if not dimensions:
        raise ApplicationError(_("A template needs at least one dimension."), code="no_dimensions")
    _check_sum((d["weight"] for d in dimensions), what=_("dimension"))
    threshold = spec.get("excellent_threshold")
    share = spec.get("excellent_top_share")
    threshold = _decimal(threshold, field="threshold") if threshold not in (None, "") else None
    share = _decimal(share, field="share") if share not in (None, "") else None
    if threshold is not None and not 0 <= threshold <= 100:
        raise ApplicationError(_("The excellence threshold must be between 0 and 100."), code="invalid_threshold")
    if share is not None and not 0 < share <= 1:
        raise ApplicationError(_("The excellent share must be above 0 and at most 1."), code="invalid_share")
    return {"parties": parties, "dimensions": dimensions, "excellent_threshold": threshold,
            "excellent_top_share": share}


def scoring_parties() -> tuple[str, ...]:
    return tuple(str(p) for p in (Party.TEACHER, Party.MENTOR, Party.MASTER, Party.PEER))


@transaction.atomic
def rubric_template_save(*, actor: User, spec: Mapping) -> RubricTemplate:
    """Create a template, or the next version of the family named in `spec` (the earlier
    versions stay as they were, with the rounds that use them)."""
    if actor is not None and actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators edit rubric templates."))
    checked = _validate_spec(spec)
    family = str(spec.get("family") or "").strip()
    if not family:
        raise ApplicationError(_("A template needs a code."), code="no_family")
    previous = RubricTemplate.objects.select_for_update().filter(family=family, is_current=True).first()
    major_id = spec.get("major_id") or None
    if major_id:
        allowed = set(Competency.objects.filter(major_id=major_id).values_list("pk", flat=True))
        for d in checked["dimensions"]:
            if set(d["competencies"]) - allowed:
                raise ApplicationError(_("A dimension maps to a competency of another major."),
                                       code="competency_of_other_major")
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    template = RubricTemplate.objects.create(
        family=family, version=(previous.version + 1) if previous else 1, is_current=True,
        name=str(spec.get("name") or family)[:200], name_en=str(spec.get("name_en") or "")[:200],
        major_id=major_id, excellent_threshold=checked["excellent_threshold"],
        excellent_top_share=checked["excellent_top_share"],
        reward_points=int(spec.get("reward_points") or 0), appeal_days=int(spec.get("appeal_days") or 7),
        created_by=actor,
    )
    RubricParty.objects.bulk_create([RubricParty(template=template, party=p, weight=v["weight"],
                                                 required=v["required"]) for p, v in checked["parties"].items()])
    for order, d in enumerate(checked["dimensions"]):
        dimension = RubricDimension.objects.create(template=template, code=d["code"], name=d.get("name") or d["code"],
                                                   name_en=d.get("name_en") or "", weight=d["weight"], order=order)
        RubricCriterion.objects.bulk_create([
            RubricCriterion(dimension=dimension, code=c["code"], name=c.get("name") or c["code"],
                            name_en=c.get("name_en") or "", weight=c["weight"], order=i)
            for i, c in enumerate(d["criteria"])])
        DimensionCompetency.objects.bulk_create([
            DimensionCompetency(dimension=dimension, competency_id=cid, weight=w) for cid, w in d["competencies"].items()])
    audit_log_record(actor=actor, action="evaluations.template.save", target=template,
                     data={"family": family, "version": template.version})
    return template


# --- Activities and rounds ------------------------------------------------------------


@transaction.atomic
def practice_activity_create(*, actor: User, kind: str, title: str, organization=None) -> PracticeActivity:
    if actor.role not in (Role.TEACHER, Role.ENTERPRISE, Role.SCHOOL_ADMIN):
        raise NotPermitted(_("You may not create practice activities."))
    if kind not in PracticeActivity.Kind.values:
        raise ApplicationError(_("Unknown kind of activity."), code="invalid_kind")
    title = (title or "").strip()
    if not title or "\x00" in title:
        raise ApplicationError(_("Give the activity a title."), code="invalid_title")
    activity = PracticeActivity.objects.create(kind=kind, title=title[:200], organization=organization,
                                               organiser=actor)
    audit_log_record(actor=actor, action="evaluations.activity.create", target=activity, data={"kind": kind})
    return activity


def _peer_assignment(student_user_ids: Sequence[int], per_student: int) -> dict[int, list[int]]:
    """Each student is rated by the next `per_student` classmates in a ring: everyone rates
    as many as rate them, and nobody rates themselves."""
    n = len(student_user_ids)
    k = min(per_student, n - 1)
    return {uid: [student_user_ids[(i + j) % n] for j in range(1, k + 1)] for i, uid in enumerate(student_user_ids)}


def _check_raters(raters: Mapping[str, Iterable[int]], template: RubricTemplate) -> dict[str, list[int]]:
    template_parties = set(template.parties.values_list("party", flat=True))
    checked: dict[str, list[int]] = {}
    for party, ids in raters.items():
        ids = sorted({int(i) for i in ids})
        if not ids:
            continue
        if party not in template_parties or party == Party.PEER:
            raise ApplicationError(_("This template has no party %(party)s to invite.") % {"party": party},
                                   code="party_not_in_template")
        found = set(User.objects.filter(pk__in=ids, role=PARTY_ROLES[party], is_active=True).values_list("pk", flat=True))
        if found != set(ids):
            raise ApplicationError(_("Raters for %(party)s must be active users of that role.")
                                   % {"party": Party(party).label}, code="invalid_rater")
        checked[party] = ids
    return checked


@transaction.atomic
def rounds_create(
    *, actor: User, kind: str, subject_id: int, template: RubricTemplate, deadline: datetime.datetime,
    raters: Mapping[str, Iterable[int]], student_user_ids: Iterable[int] | None = None, peers_per_student: int = 3,
    self_evaluation: bool = True, open_now: bool = True,
) -> list[Round]:
    """One round per student of the subject, with the invited raters of each party; peers are
    the subject's other students. Opened at once unless `open_now` is false (a draft)."""
    entry, subject, content_type = subject_get(kind=kind, subject_id=subject_id)
    if not user_can_organise(actor, entry, subject):
        raise NotPermitted(_("You may not open evaluations on this subject."))
    if not template.is_current:
        raise ApplicationError(_("Open rounds with the current version of a template."), code="template_superseded")
    if deadline <= timezone.now():
        raise ApplicationError(_("The deadline must be in the future."), code="deadline_past")
    checked = _check_raters(raters, template)
    user_ids = list(student_user_ids) if student_user_ids is not None else list(entry.student_user_ids(subject))
    profiles = {p.user_id: p for p in StudentProfile.objects.filter(user_id__in=user_ids)}
    ordered = sorted(profiles)
    if not ordered:
        raise ApplicationError(_("There are no students to evaluate on this subject."), code="no_students")
    has_peers = template.parties.filter(party=Party.PEER).exists()
    if has_peers and len(ordered) <= scoring.MIN_PEERS:
        raise ApplicationError(_("Peer evaluation needs at least %(n)d other students.") % {"n": scoring.MIN_PEERS},
                               code="too_few_peers")
    peers = _peer_assignment(ordered, max(peers_per_student, scoring.MIN_PEERS)) if has_peers else {}
    title = entry.title(subject)[:250]
    now = timezone.now()
    status = Round.Status.OPEN if open_now else Round.Status.DRAFT
    rounds = Round.objects.bulk_create([
        Round(template=template, subject_type=content_type, subject_id=subject.pk, subject_kind=kind,
              subject_title=title, student=profiles[uid], organiser=actor, status=status, deadline=deadline,
              opened_at=now if open_now else None)
        for uid in ordered])
    invitations = []
    for round_, uid in zip(rounds, ordered, strict=True):
        for party, ids in checked.items():
            invitations.extend(Invitation(round=round_, rater_id=i, party=party) for i in ids)
        invitations.extend(Invitation(round=round_, rater_id=p, party=Party.PEER) for p in peers.get(uid, []))
        if self_evaluation:
            invitations.append(Invitation(round=round_, rater_id=uid, party=Party.SELF))
    Invitation.objects.bulk_create(invitations)
    audit_log_record(actor=actor, action="evaluations.rounds.create", target=subject,
                     data={"kind": kind, "rounds": [r.pk for r in rounds], "template": template.pk})
    if open_now:
        _notify_invited(round_ids=[r.pk for r in rounds], title=title, deadline=deadline)
    return rounds


def _notify_invited(*, round_ids: list[int], title: str, deadline: datetime.datetime) -> None:
    from django.urls import reverse

    rater_ids = set(Invitation.objects.filter(round_id__in=round_ids).values_list("rater_id", flat=True))
    notification_send(recipients=rater_ids, title=gettext_noop("You are invited to evaluate: %(subject)s"),
                      body=gettext_noop("Please submit your evaluation before %(deadline)s."),
                      params={"subject": title, "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
                      url=reverse("evaluations:home"))


@transaction.atomic
def round_open(*, actor: User, round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != Round.Status.DRAFT:
        raise ApplicationError(_("Only a draft round can be opened."), code="not_draft", status_code=409)
    if round_.deadline <= timezone.now():
        raise ApplicationError(_("The deadline must be in the future."), code="deadline_past")
    round_.status = Round.Status.OPEN
    round_.opened_at = timezone.now()
    round_.save(update_fields=["status", "opened_at"])
    audit_log_record(actor=actor, action="evaluations.round.open", target=round_)
    _notify_invited(round_ids=[round_.pk], title=round_.subject_title, deadline=round_.deadline)
    return round_


# --- Submissions ------------------------------------------------------------------


def _score_submission(template: RubricTemplate, scores: Mapping[str, Any], comments: Mapping[str, Any]):
    """Validate the scores of every sub-criterion (or dimension without criteria) and
    compute the dimension scores and the weighted total."""
    criterion_scores: dict[str, float] = {}
    dimension_scores: dict[str, float] = {}
    clean_comments: dict[str, str] = {}
    errors: dict[str, str] = {}
    for dimension in template.dimensions.all():
        keys = [f"{dimension.code}.{c.code}" for c in dimension.criteria.all()] or [dimension.code]
        weights = {f"{dimension.code}.{c.code}": c.weight for c in dimension.criteria.all()} or {dimension.code: 1}
        for key in keys:
            raw = scores.get(key)
            try:
                value = float(raw)
            except (TypeError, ValueError):
                errors[key] = _("Give a score from 0 to 100.")
                continue
            if not 0 <= value <= 100 or value != value:
                errors[key] = _("A score must be between 0 and 100.")
                continue
            criterion_scores[key] = value
        if all(k in criterion_scores for k in keys):
            dimension_scores[dimension.code] = scoring.dimension_score(criterion_scores, weights)
        comment = str(comments.get(dimension.code) or "")
        if "\x00" in comment:
            errors[dimension.code] = _("The comment contains a NUL character.")
        elif len(comment) > 2000:
            errors[dimension.code] = _("A comment is at most 2000 characters.")
        elif comment.strip():
            clean_comments[dimension.code] = comment.strip()
    unknown = set(scores) - {f"{d.code}.{c.code}" for d in template.dimensions.all() for c in d.criteria.all()} \
        - {d.code for d in template.dimensions.all()}
    for key in unknown:
        errors[str(key)[:60]] = _("Unknown criterion.")
    if errors:
        raise ApplicationError(_("Some scores are missing or out of range."), code="invalid_scores", extra=errors)
    weights = {d.code: d.weight for d in template.dimensions.all()}
    total = scoring.rater_total(dimension_scores, weights)
    return criterion_scores, dimension_scores, clean_comments, round(min(100.0, max(0.0, total)), 4)


def _invitation_for_update(*, actor: User, invitation_id: int) -> tuple[Invitation, Round]:
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or invitation.rater_id != actor.pk:
        raise ApplicationError(_("You are not invited to this evaluation."), code="not_invited", status_code=403)
    # Lock the round: submissions to one round queue up, so the completeness check after
    # each sees every earlier one (two raters at the same instant both count).
    round_ = (Round.objects.select_for_update().select_related("template").get(pk=invitation.round_id))
    if round_.status != Round.Status.OPEN:
        raise ApplicationError(_("This evaluation is not open."), code="round_not_open", status_code=409)
    if timezone.now() >= round_.deadline:
        raise ApplicationError(_("The deadline has passed."), code="deadline_passed", status_code=409)
    if round_.current_result_id is not None:  # reopened after an appeal: only that party
        reopened = (Appeal.objects.filter(result_id=round_.current_result_id, status=Appeal.Status.REOPENED)
                    .values_list("reopened_party", flat=True).first())
        if invitation.party != reopened:
            raise ApplicationError(_("Only the reopened party may change its evaluation now."),
                                   code="party_not_reopened", status_code=409)
    invitation.refresh_from_db()
    return invitation, round_


def _prefetched_template(template_id: int) -> RubricTemplate:
    return RubricTemplate.objects.prefetch_related("dimensions__criteria", "parties").get(pk=template_id)


@transaction.atomic
def submission_create(*, actor: User, invitation_id: int, scores: Mapping[str, Any],
                      comments: Mapping[str, Any] | None = None) -> Submission:
    """A rater's one submission. A second one is refused (edit it with submission_update)."""
    invitation, round_ = _invitation_for_update(actor=actor, invitation_id=invitation_id)
    if Submission.objects.filter(invitation=invitation).exists():
        raise ApplicationError(_("You have already submitted; edit your submission instead."),
                               code="already_submitted", status_code=409)
    criteria, dimensions, clean, total = _score_submission(_prefetched_template(round_.template_id), scores,
                                                           comments or {})
    submission = Submission.objects.create(invitation=invitation, criterion_scores=criteria,
                                           dimension_scores=dimensions, comments=clean, total=total)
    invitation.submitted_at = timezone.now()
    invitation.save(update_fields=["submitted_at"])
    audit_log_record(actor=actor, action="evaluations.submission.create", target=submission,
                     data={"round": round_.pk, "party": invitation.party, "total": total})
    _finalise_if_complete(round_)
    return submission


@transaction.atomic
def submission_update(*, actor: User, invitation_id: int, scores: Mapping[str, Any],
                      comments: Mapping[str, Any] | None = None) -> Submission:
    """Change a submission until the deadline (or a party reopened after an appeal)."""
    invitation, round_ = _invitation_for_update(actor=actor, invitation_id=invitation_id)
    submission = Submission.objects.filter(invitation=invitation).first()
    if submission is None:
        raise ApplicationError(_("There is no submission to edit yet."), code="no_submission", status_code=404)
    criteria, dimensions, clean, total = _score_submission(_prefetched_template(round_.template_id), scores,
                                                           comments or {})
    previous = submission.total
    submission.criterion_scores, submission.dimension_scores, submission.comments = criteria, dimensions, clean
    submission.total = total
    submission.save()
    if invitation.submitted_at is None:
        invitation.submitted_at = timezone.now()
        invitation.save(update_fields=["submitted_at"])
    audit_log_record(actor=actor, action="evaluations.submission.update", target=submission,
                     data={"round": round_.pk, "party": invitation.party, "from": previous, "to": total})
    _finalise_if_complete(round_)
    return submission


def _finalise_if_complete(round_: Round) -> None:
    """Finalise early when every required party has submitted (all its invited raters;
    peers at least 3) and no optional party is still waiting."""
    from .finalisation import rounds_finalise

    if round_.current_result_id is not None:
        return  # reopened after an appeal: finalised again at its new deadline (beat)
    required = set(round_.template.parties.filter(required=True).values_list("party", flat=True))
    rows = list(Invitation.objects.filter(round=round_).exclude(party=Party.SELF)
                .values_list("party", "submitted_at"))
    waiting = {party for party, at in rows if at is None}
    submitted: dict[str, int] = {}
    for party, at in rows:
        if at is not None:
            submitted[party] = submitted.get(party, 0) + 1
    if waiting:
        return
    for party in required:
        if submitted.get(party, 0) < (scoring.MIN_PEERS if party == Party.PEER else 1):
            return
    rounds_finalise(round_ids=[round_.pk], actor=None)


@transaction.atomic
def activity_rounds_create(*, actor: User, kind: str, title: str, school_class, organization=None,
                           **round_options) -> list[Round]:
    """A new practice activity and its rounds, for the students of one class (or the given
    students of it), in one step."""
    activity = practice_activity_create(actor=actor, kind=kind, title=title, organization=organization)
    user_ids = round_options.pop("student_user_ids", None)
    if user_ids is None:
        user_ids = StudentProfile.objects.filter(school_class=school_class).values_list("user_id", flat=True)
    return rounds_create(actor=actor, kind=kind, subject_id=activity.pk, student_user_ids=list(user_ids),
                         **round_options)
