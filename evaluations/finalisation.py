"""Finalising rounds, set-based: one read of every submission of the batch, the formula in
memory (evaluations/scoring.py), then bulk writes — so a beat run over 10,000 rounds takes
a handful of queries, not tens of thousands."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import AuditLog, User
from accounts.services import notification_send

from . import scoring
from .models import Invitation, Party, Result, Round, RubricTemplate, Submission

CHUNK = 2000


@dataclass
class FinaliseReport:
    finalised: list[int] = field(default_factory=list)
    lapsed: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class TemplateRules:
    party_weights: dict[str, float]
    required: tuple[str, ...]
    dimension_codes: tuple[str, ...]
    dimension_weights: dict[str, float]
    appeal_days: int
    threshold: float | None


def template_rules(template_ids: Iterable[int]) -> dict[int, TemplateRules]:
    rules = {}
    for template in RubricTemplate.objects.filter(pk__in=set(template_ids)).prefetch_related("parties", "dimensions"):
        parties = sorted(template.parties.all(), key=lambda p: scoring_order(p.party))
        dimensions = list(template.dimensions.all())
        rules[template.pk] = TemplateRules(
            party_weights={p.party: float(p.weight) for p in parties},
            required=tuple(p.party for p in parties if p.required),
            dimension_codes=tuple(d.code for d in dimensions),
            dimension_weights={d.code: float(d.weight) for d in dimensions},
            appeal_days=template.appeal_days,
            threshold=float(template.excellent_threshold) if template.excellent_threshold is not None else None,
        )
    return rules


def scoring_order(party: str) -> int:
    order = [Party.TEACHER, Party.MENTOR, Party.MASTER, Party.PEER]
    return order.index(party) if party in order else len(order)


def _submissions(round_ids: list[int]) -> dict[int, dict[str, list[scoring.RaterScores]]]:
    by_round: dict[int, dict[str, list[scoring.RaterScores]]] = defaultdict(lambda: defaultdict(list))
    for start in range(0, len(round_ids), CHUNK):
        rows = (Submission.objects.filter(invitation__round_id__in=round_ids[start:start + CHUNK],
                                          invitation__submitted_at__isnull=False)
                .values_list("invitation__round_id", "invitation__party", "total", "dimension_scores"))
        for round_id, party, total, dimensions in rows.iterator(chunk_size=5000):
            by_round[round_id][party].append(scoring.RaterScores(total=total, dimensions=dimensions))
    return by_round


def _result_row(round_: Round, rules: TemplateRules, outcome: scoring.Outcome, self_scores, version: int) -> Result:
    return Result(
        round_id=round_.pk, version=version, final=round(outcome.final, 2),
        parties=[{"party": p.party, "weight": p.weight, "score": round(p.score, 2) if p.score is not None else None,
                  "raters": p.raters, "counted": p.counted} for p in outcome.parties],
        dimensions=[{"code": code, "score": round(value, 2)} for code, value in outcome.dimensions],
        flags=outcome.flags,
        self_score=round(self_scores[0].total, 2) if self_scores else None,
    )


@transaction.atomic
def rounds_finalise(*, round_ids: Iterable[int], actor: User | None = None, at_deadline: bool = False,
                    now: datetime.datetime | None = None) -> FinaliseReport:
    """Finalise open rounds. At the deadline a round without quorum (a required party
    absent; fewer than 3 peers) lapses instead. Idempotent: rounds no longer open are skipped."""
    now = now or timezone.now()
    report = FinaliseReport()
    rounds = list(Round.objects.select_for_update().filter(pk__in=list(round_ids), status=Round.Status.OPEN)
                  .only("pk", "template_id", "student_id", "subject_title", "deadline"))
    if not rounds:
        return report
    ids = [r.pk for r in rounds]
    rules = template_rules(r.template_id for r in rounds)
    submissions = _submissions(ids)
    versions = dict(Result.objects.filter(round_id__in=ids).values_list("round_id").order_by()
                    .annotate(n=Max("version")))
    results: list[Result] = []
    lapsed: list[Round] = []
    finalised: list[Round] = []
    for round_ in rounds:
        rule = rules[round_.template_id]
        raters = submissions.get(round_.pk, {})
        scored = {p: raters.get(p, []) for p in rule.party_weights}
        if at_deadline and not scoring.quorum_holds(required=rule.required, raters_by_party=scored):
            lapsed.append(round_)
            continue
        outcome = scoring.compute_outcome(party_weights=rule.party_weights, dimension_codes=rule.dimension_codes,
                                          dimension_weights=rule.dimension_weights, raters_by_party=scored)
        if outcome is None:
            lapsed.append(round_)
            continue
        results.append(_result_row(round_, rule, outcome, raters.get(Party.SELF), versions.get(round_.pk, 0) + 1))
        finalised.append(round_)
    Result.objects.bulk_create(results, batch_size=2000)
    by_appeal_days: dict[int, list[int]] = defaultdict(list)
    for round_ in finalised:
        by_appeal_days[rules[round_.template_id].appeal_days].append(round_.pk)
    for days, group in by_appeal_days.items():
        for start in range(0, len(group), CHUNK):
            Round.objects.filter(pk__in=group[start:start + CHUNK]).update(
                status=Round.Status.FINALISED, finalised_at=now, appeal_closes_at=now + datetime.timedelta(days=days),
                current_result=Subquery(Result.objects.filter(round=OuterRef("pk")).order_by("-version").values("pk")[:1]),
            )
    lapsed_ids = [r.pk for r in lapsed]
    for start in range(0, len(lapsed_ids), CHUNK):
        Round.objects.filter(pk__in=lapsed_ids[start:start + CHUNK]).update(status=Round.Status.LAPSED)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    AuditLog.objects.bulk_create(
        [AuditLog(actor_id=actor_id, action="evaluations.round.finalise", target_type="evaluations.round",
                  target_id=str(r.round_id), data={"final": r.final, "version": r.version, "at_deadline": at_deadline})
         for r in results]
        + [AuditLog(actor_id=actor_id, action="evaluations.round.lapse", target_type="evaluations.round",
                    target_id=str(pk), data={}) for pk in lapsed_ids], batch_size=2000)
    report.finalised = [r.pk for r in finalised]
    report.lapsed = lapsed_ids
    _notify_students(finalised)
    _practice_evidence_update(finalised)
    return report


def _notify_students(rounds: list[Round]) -> None:
    by_title: dict[str, list[int]] = defaultdict(list)
    for round_ in rounds:
        by_title[round_.subject_title].append(round_.student_id)
    if not by_title:
        return
    from students.models import StudentProfile

    users = dict(StudentProfile.objects.filter(pk__in=[r.student_id for r in rounds]).values_list("pk", "user_id"))
    for title, student_ids in by_title.items():
        notification_send(recipients=[users[s] for s in student_ids if s in users],
                          title=gettext_noop("Your evaluation is ready: %(subject)s"), params={"subject": title},
                          url=reverse("evaluations:home"))


def _practice_evidence_update(rounds: list[Round]) -> None:
    """The results move the radar (see evaluations/practice.py)."""
    if not rounds:
        return
    from .practice import practice_evidence_refresh

    practice_evidence_refresh(student_ids={r.student_id for r in rounds})


def rounds_finalise_due(*, now: datetime.datetime | None = None) -> FinaliseReport:
    """Beat: every open round whose deadline has passed is finalised (quorum) or lapses."""
    now = now or timezone.now()
    ids = list(Round.objects.filter(status=Round.Status.OPEN, deadline__lte=now).values_list("pk", flat=True))
    report = FinaliseReport()
    for start in range(0, len(ids), 10_000):
        part = rounds_finalise(round_ids=ids[start:start + 10_000], at_deadline=True, now=now)
        report.finalised += part.finalised
        report.lapsed += part.lapsed
    return report


REMIND_BEFORE = datetime.timedelta(hours=48)


@transaction.atomic
def rounds_remind_due(*, now: datetime.datetime | None = None) -> int:
    """Beat: once per round, 48 hours before the deadline, remind the raters who have not submitted."""
    now = now or timezone.now()
    due = list(Round.objects.select_for_update(skip_locked=True)
               .filter(status=Round.Status.OPEN, reminded_at__isnull=True, deadline__gt=now,
                       deadline__lte=now + REMIND_BEFORE).values_list("pk", "subject_title"))
    if not due:
        return 0
    titles = dict(due)
    pending: dict[str, set[int]] = defaultdict(set)
    for round_id, rater_id in Invitation.objects.filter(round_id__in=list(titles), submitted_at__isnull=True) \
            .values_list("round_id", "rater_id"):
        pending[titles[round_id]].add(rater_id)
    for title, raters in pending.items():
        notification_send(recipients=raters, title=gettext_noop("Reminder: your evaluation of %(subject)s is due soon"),
                          params={"subject": title}, url=reverse("evaluations:home"))
    Round.objects.filter(pk__in=list(titles)).update(reminded_at=now)
    return sum(len(r) for r in pending.values())
