"""Reads of the evaluations app, scoped per user. Anonymity: nothing here hands the
evaluated student the name of a rater; who rated is shown only to the round's organiser
and school administrators (`round_rater_names_visible`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Window
from django.http import Http404

from accounts.models import Role, User

from .models import Appeal, Invitation, Party, Reward, Round, RubricTemplate, Submission


def invitations_for_rater(*, user: User) -> QuerySet[Invitation]:
    return (Invitation.objects.filter(rater=user)
            .select_related("round__student__user", "round__template", "submission")
            .order_by("submitted_at", "round__deadline", "pk"))


def invitations_to_do(*, user: User) -> QuerySet[Invitation]:
    """Open rounds the user is invited to and has not submitted to, soonest deadline first."""
    return (Invitation.objects.filter(rater=user, submitted_at__isnull=True, round__status=Round.Status.OPEN)
            .select_related("round__student__user", "round__template").order_by("round__deadline", "pk"))


def invitations_done(*, user: User, limit: int = 20) -> QuerySet[Invitation]:
    return (Invitation.objects.filter(rater=user, submitted_at__isnull=False)
            .select_related("round__student__user", "round__template", "submission")
            .order_by("-submitted_at", "-pk")[:limit])


def invitation_get_for_rater(*, user: User, invitation_id: int) -> Invitation:
    invitation = (Invitation.objects.select_related("round__student__user", "round__template")
                  .filter(pk=invitation_id, rater=user).first())
    if invitation is None:
        raise Http404
    return invitation


def rounds_for_user(*, user: User) -> QuerySet[Round]:
    """Rounds the user may read: their own (students, once opened), those they organise or
    are invited to as teacher, mentor or master, every round for school administrators."""
    qs = Round.objects.select_related("student__user", "template", "current_result", "organiser")
    if user.role == Role.SCHOOL_ADMIN:
        return qs
    if user.role == Role.STUDENT:
        return qs.filter(student__user=user).exclude(status=Round.Status.DRAFT)
    invited = Invitation.objects.filter(round=OuterRef("pk"), rater=user).exclude(party__in=[Party.PEER, Party.SELF])
    return qs.filter(Q(organiser=user) | Q(Exists(invited)))


def round_get_for_user(*, user: User, round_id: int) -> Round:
    round_ = rounds_for_user(user=user).filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    return round_


def round_with_result_for_user(*, user: User, round_id: int) -> Round:
    """`round_get_for_user` for the result API: the same scoping, only the current result
    joined, and `rewarded` (a joint reward exists) in the same query — one query where
    the round, its student, template and organiser and then the reward took two."""
    round_ = (rounds_for_user(user=user).select_related(None).select_related("current_result")
              .annotate(rewarded=Exists(Reward.objects.filter(round=OuterRef("pk"))))
              .filter(pk=round_id).first())
    if round_ is None:
        raise Http404
    return round_


def round_rater_names_visible(*, user: User, round_: Round) -> bool:
    return user.role == Role.SCHOOL_ADMIN or round_.organiser_id == user.pk


def round_result_visible(*, user: User, round_: Round) -> bool:
    if round_.current_result_id is None:
        return False
    return user.role != Role.STUDENT or round_.status in (Round.Status.FINALISED, Round.Status.CLOSED)


def round_invitations(*, round_: Round) -> QuerySet[Invitation]:
    return Invitation.objects.filter(round=round_).select_related("rater", "submission").order_by("party", "pk")


@dataclass
class CommentLine:
    party: str
    party_label: str
    dimension: str
    text: str


def round_comments(*, round_: Round) -> list[CommentLine]:
    """Comments per dimension, labelled by party only (never by rater), peers shuffled into
    a stable order by their text so that their order cannot identify them."""
    labels = dict(Party.choices)
    lines = []
    for party, comments in (Submission.objects.filter(invitation__round=round_, invitation__submitted_at__isnull=False)
                            .exclude(invitation__party=Party.SELF)
                            .values_list("invitation__party", "comments")):
        for dimension, text in (comments or {}).items():
            lines.append(CommentLine(party=party, party_label=str(labels.get(party, party)), dimension=dimension,
                                     text=text))
    return sorted(lines, key=lambda c: (c.dimension, c.party, c.text))


def round_self_submission(*, round_: Round) -> Submission | None:
    return Submission.objects.filter(invitation__round=round_, invitation__party=Party.SELF).first()


def round_reward(*, round_: Round) -> Reward | None:
    return Reward.objects.filter(round=round_).select_related("result", "round").first()


def round_appeal(*, round_: Round) -> Appeal | None:
    return Appeal.objects.filter(round=round_).order_by("-created_at", "-pk").first()


def rewards_for_student(*, student) -> QuerySet[Reward]:
    return Reward.objects.filter(student=student).select_related("round", "result").order_by("-created_at")


def results_for_student_user(*, user: User) -> QuerySet[Round]:
    return (Round.objects.filter(student__user=user, status__in=[Round.Status.FINALISED, Round.Status.CLOSED])
            .select_related("current_result", "template").order_by("-finalised_at", "-pk"))


def templates_current() -> QuerySet[RubricTemplate]:
    return (RubricTemplate.objects.filter(is_current=True).select_related("major")
            .annotate(rounds_count=Count("rounds"))
            .order_by("family"))


def template_versions(*, family: str) -> QuerySet[RubricTemplate]:
    return (RubricTemplate.objects.filter(family=family).annotate(rounds_count=Count("rounds"))
            .order_by("-version"))


def template_get(*, template_id: int) -> RubricTemplate:
    template = (RubricTemplate.objects.prefetch_related("parties", "dimensions__criteria",
                                                        "dimensions__competency_links__competency")
                .select_related("major").filter(pk=template_id).first())
    if template is None:
        raise Http404
    return template


def appeals_pending() -> QuerySet[Appeal]:
    return (Appeal.objects.filter(status=Appeal.Status.PENDING)
            .select_related("round__student__user", "result").order_by("created_at", "pk"))


@dataclass
class LeniencyRow:
    rater: User
    party: str
    submissions: int
    mean_deviation: float


def rater_leniency(*, min_submissions: int = 3, limit: int = 50) -> list[LeniencyRow]:
    """Each rater's mean deviation from their co-raters: for every submission, its total
    minus the mean of the other raters' totals in the same round (in the database), averaged
    per rater. Positive: lenient; negative: severe. School administrators only."""
    counted = (Submission.objects.filter(invitation__submitted_at__isnull=False)
               .exclude(invitation__party=Party.SELF)
               .annotate(round_sum=Window(Sum("total"), partition_by=[F("invitation__round_id")]),
                         round_n=Window(Count("pk"), partition_by=[F("invitation__round_id")]))
               .values_list("invitation__rater_id", "invitation__party", "total", "round_sum", "round_n"))
    sums: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0])
    for rater_id, party, total, round_sum, round_n in counted:
        if round_n < 2:
            continue
        others = (round_sum - total) / (round_n - 1)
        entry = sums[(rater_id, party)]
        entry[0] += total - others
        entry[1] += 1
    kept = [(key, value) for key, value in sums.items() if value[1] >= min_submissions]
    kept.sort(key=lambda item: -abs(item[1][0] / item[1][1]))
    kept = kept[:limit]
    users = User.objects.in_bulk([key[0] for key, _ in kept])
    return [LeniencyRow(rater=users[key[0]], party=key[1], submissions=value[1],
                        mean_deviation=round(value[0] / value[1], 2)) for key, value in kept]


def rounds_overview() -> dict[str, int]:
    return dict(Round.objects.values_list("status").annotate(n=Count("pk")).order_by())


def average_final() -> float | None:
    return Round.objects.filter(current_result__isnull=False).aggregate(a=Avg("current_result__final"))["a"]
