"""Finalising rounds, set-based: one read of every submission of the batch, the formula in
memory (evaluations/scoring.py), then bulk writes — so a beat run over 10,000 rounds takes
a handful of queries, not tens of thousands."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import FloatField, Max, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import AuditLog, User
from accounts.services import notification_send

from . import scoring
from .models import Invitation, Party, Result, Round, RubricTemplate, Submission

CHUNK = 2000
# The submissions of up to this many rounds are read in one query: each read is one pass
# over the submissions (a hash join), so 2,000-round chunks read the table five times.
READ_CHUNK = 10_000


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


def _submissions(round_ids: list[int], rules: dict[int, TemplateRules], template_of: dict[int, int]
                 ) -> dict[int, dict[str, list[scoring.RaterScores]]]:
    """Every submitted score of the rounds: (round, party, total, dimension scores), read in
    one pass per template with the dimension scores pulled out of the JSON by the database."""
    by_round: dict[int, dict[str, list[scoring.RaterScores]]] = defaultdict(lambda: defaultdict(list))
    ids_by_template: dict[int, list[int]] = defaultdict(list)
    for round_id in round_ids:
        ids_by_template[template_of[round_id]].append(round_id)
    for template_id, ids in ids_by_template.items():
        codes = rules[template_id].dimension_codes
        dims = {f"d{i}": Cast(KeyTextTransform(code, "dimension_scores"), FloatField()) for i, code in enumerate(codes)}
        for start in range(0, len(ids), READ_CHUNK):
            query = (Submission.objects.filter(invitation__round_id__in=ids[start:start + READ_CHUNK],
                                               invitation__submitted_at__isnull=False)
                     .annotate(**dims).values_list("invitation__round_id", "invitation__party", "total", *dims))
            # The plain cursor: the database already returns floats, no per-row converters needed.
            sql, params = query.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                for round_id, party, total, *values in cursor.fetchall():
                    dimensions = dict(zip(codes, values, strict=True))
                    by_round[round_id][party].append(scoring.RaterScores(total, dimensions))
    return by_round


def _result_fields(round_id: int, outcome: scoring.Outcome, self_scores, version: int) -> dict:
    """The columns of one Result row (what `Result(**fields)` stores)."""
    return {
        "round_id": round_id, "version": version, "final": round(outcome.final, 2),
        "parties": [{"party": p.party, "weight": p.weight, "score": round(p.score, 2) if p.score is not None else None,
                     "raters": p.raters, "counted": p.counted} for p in outcome.parties],
        "dimensions": [{"code": code, "score": round(value, 2)} for code, value in outcome.dimensions],
        "flags": outcome.flags,
        "self_score": round(self_scores[0].total, 2) if self_scores else None,
    }


def _q(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _results_write(rows: list[dict], closes_at: dict[int, datetime.datetime], now: datetime.datetime) -> None:
    """Insert the results and point their rounds at them (status, finalisation time,
    appeal window, `current_result`).

    On PostgreSQL, per chunk, one statement: the rows travel as one JSON document
    (`jsonb_to_recordset`), the INSERT returns the new ids and the same statement updates
    the rounds from them. The ORM's bulk_create adapted 30,000 JSON values one by one on
    the client and the rounds then found their result with a correlated subquery; this
    was most of the finalisation time (docs/benchmarks.md#evaluations-issue-13)."""
    created = timezone.now()
    if connection.vendor != "postgresql":
        Result.objects.bulk_create([Result(**row) for row in rows], batch_size=2000)
        by_close: dict[datetime.datetime, list[int]] = defaultdict(list)
        for row in rows:
            by_close[closes_at[row["round_id"]]].append(row["round_id"])
        for closes, group in by_close.items():
            for start in range(0, len(group), CHUNK):
                Round.objects.filter(pk__in=group[start:start + CHUNK]).update(
                    status=Round.Status.FINALISED, finalised_at=now, appeal_closes_at=closes,
                    current_result=Subquery(Result.objects.filter(round=OuterRef("pk")).order_by("-version")
                                            .values("pk")[:1]))
        return
    sql = (
        f"WITH d AS (SELECT * FROM jsonb_to_recordset(%s::jsonb) AS d(round_id bigint, version smallint, "
        f"final double precision, parties jsonb, dimensions jsonb, flags jsonb, self_score double precision, "
        f"closes timestamptz)), "
        f"ins AS (INSERT INTO {_q(Result)} (round_id, version, final, parties, dimensions, flags, self_score, "
        f"created_at) SELECT round_id, version, final, parties, dimensions, flags, self_score, %s FROM d "
        f"RETURNING id, round_id) "
        f"UPDATE {_q(Round)} r SET status = %s, finalised_at = %s, appeal_closes_at = d.closes, "
        f"current_result_id = ins.id FROM ins JOIN d ON d.round_id = ins.round_id WHERE r.id = ins.round_id")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            document = json.dumps([{**row, "closes": closes_at[row["round_id"]].isoformat()}
                                   for row in rows[start:start + CHUNK]])
            cursor.execute(sql, [document, created, Round.Status.FINALISED, now])


@transaction.atomic
def rounds_finalise(*, round_ids: Iterable[int], actor: User | None = None, at_deadline: bool = False,
                    now: datetime.datetime | None = None) -> FinaliseReport:
    """Finalise open rounds. At the deadline a round without quorum (a required party
    absent; fewer than 3 peers) lapses instead. Idempotent: rounds no longer open are skipped."""
    now = now or timezone.now()
    report = FinaliseReport()
    template_of = dict(Round.objects.select_for_update().filter(pk__in=list(round_ids), status=Round.Status.OPEN)
                       .values_list("pk", "template_id"))
    if not template_of:
        return report
    ids = sorted(template_of)
    rules = template_rules(template_of.values())
    submissions = _submissions(ids, rules, template_of)
    versions = dict(Result.objects.filter(round_id__in=ids).values_list("round_id").order_by()
                    .annotate(n=Max("version")))
    results: list[dict] = []
    lapsed: list[int] = []
    finalised: list[int] = []
    closes_at: dict[int, datetime.datetime] = {}
    window_end: dict[int, datetime.datetime] = {}
    for round_id in ids:
        rule = rules[template_of[round_id]]
        raters = submissions.get(round_id, {})
        scored = {p: raters.get(p, []) for p in rule.party_weights}
        if at_deadline and not scoring.quorum_holds(required=rule.required, raters_by_party=scored):
            lapsed.append(round_id)
            continue
        outcome = scoring.compute_outcome(party_weights=rule.party_weights, dimension_codes=rule.dimension_codes,
                                          dimension_weights=rule.dimension_weights, raters_by_party=scored)
        if outcome is None:
            lapsed.append(round_id)
            continue
        results.append(_result_fields(round_id, outcome, raters.get(Party.SELF), versions.get(round_id, 0) + 1))
        if rule.appeal_days not in window_end:
            window_end[rule.appeal_days] = now + datetime.timedelta(days=rule.appeal_days)
        closes_at[round_id] = window_end[rule.appeal_days]
        finalised.append(round_id)
    _results_write(results, closes_at, now)
    lapsed_ids = lapsed
    for start in range(0, len(lapsed_ids), CHUNK):
        Round.objects.filter(pk__in=lapsed_ids[start:start + CHUNK]).update(status=Round.Status.LAPSED)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    # One audit entry per batch, naming every round and its final score.
    AuditLog.objects.create(actor_id=actor_id, action="evaluations.rounds.finalise", target_type="evaluations.round",
                            target_id=str(ids[0]) if len(ids) == 1 else "",
                            data={"finalised": {str(r["round_id"]): [r["version"], r["final"]] for r in results},
                                  "lapsed": lapsed_ids, "at_deadline": at_deadline})
    report.finalised = finalised
    report.lapsed = lapsed_ids
    if report.finalised:
        # The students hear of it and their radar moves in a task of its own, after commit.
        from .tasks import rounds_finalised_followup_task

        finalised_ids = report.finalised
        transaction.on_commit(lambda: rounds_finalised_followup_task.delay(finalised_ids))
    return report


@transaction.atomic
def rounds_finalised_followup(*, round_ids: Iterable[int], notify: bool = True) -> int:
    """After finalisation: tell each student their result is ready, and let the results move
    their radar (evaluations/practice.py). Idempotent enough to run twice: the radar evidence
    is recomputed from the results, a second notification is harmless."""
    rows = list(Round.objects.filter(pk__in=list(round_ids), current_result__isnull=False)
                .values_list("subject_title", "student_id", "student__user_id"))
    by_title: dict[str, list[int]] = defaultdict(list)
    for title, _student_id, user_id in rows:
        by_title[title].append(user_id)
    for title, user_ids in by_title.items() if notify else ():
        notification_send(recipients=user_ids, title=gettext_noop("Your evaluation is ready: %(subject)s"),
                          params={"subject": title}, url=reverse("evaluations:home"))
    from .practice import practice_evidence_refresh

    return practice_evidence_refresh(student_ids={student_id for _t, student_id, _u in rows})


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
