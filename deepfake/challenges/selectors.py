"""Reads for challenges, scoped per user, and the leaderboards.

A student sees the challenges of their class; a teacher those they created or set for a
class they teach; a school administrator all of them (read-only)."""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role

from .models import Challenge, ChallengePhase, ChallengeTeam, Experiment, Submission
from .scoring import competition_ranks

BOARD_CACHE_SECONDS = 600


def classes_taught_by(*, user):
    from teachers.models import SchoolClass

    return SchoolClass.objects.filter(Q(head_teacher=user) | Q(offerings__teacher=user)).distinct()


def challenge_list_for_user(*, user) -> QuerySet[Challenge]:
    from .permissions import student_class_id

    qs = Challenge.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.STUDENT:
        class_id = student_class_id(user)
        qs = qs.filter(classes__pk=class_id) if class_id else qs.none()
    elif user.role == Role.TEACHER:
        taught = classes_taught_by(user=user).values("pk")
        qs = qs.filter(Q(created_by=user) | Q(classes__pk__in=taught))
    elif user.role != Role.SCHOOL_ADMIN:
        return qs.none()
    ids = qs.values("pk")
    return (Challenge.objects.filter(pk__in=ids).select_related("created_by")
            .annotate(submission_count=Count("phases__submissions", distinct=True)).order_by("-created_at", "-id"))


def challenge_get_for_user(*, user, challenge_id: int) -> Challenge:
    challenge = challenge_list_for_user(user=user).filter(pk=challenge_id).first()
    if challenge is None:
        raise Http404("No such challenge.")
    return challenge


def phase_get_for_user(*, user, phase_id: int) -> ChallengePhase:
    phase = ChallengePhase.objects.select_related("challenge").filter(pk=phase_id).first()
    if phase is None:
        raise Http404("No such phase.")
    challenge_get_for_user(user=user, challenge_id=phase.challenge_id)
    return phase


def phases_of(*, challenge: Challenge) -> list[ChallengePhase]:
    return list(ChallengePhase.objects.filter(challenge=challenge).order_by("starts_at", "id"))


def current_phase(phases: list[ChallengePhase], now: datetime | None = None) -> ChallengePhase | None:
    """The open phase, else the next one, else the last."""
    now = now or timezone.now()
    for phase in phases:
        if phase.is_open(now):
            return phase
    upcoming = [p for p in phases if p.starts_at > now]
    return upcoming[0] if upcoming else (phases[-1] if phases else None)


def team_of(*, user, challenge: Challenge) -> ChallengeTeam | None:
    return ChallengeTeam.objects.filter(challenge=challenge, members=user).first()


def submissions_for_user(*, user, phase: ChallengePhase) -> QuerySet[Submission]:
    """The user's own submissions and their team's; the challenge's teacher sees all."""
    qs = Submission.objects.filter(phase=phase).select_related("submitted_by", "team")
    if user.role == Role.TEACHER and phase.challenge.created_by_id == user.pk:
        return qs.order_by("-created_at", "-id")
    team = team_of(user=user, challenge=phase.challenge)
    own = Q(submitted_by=user) | (Q(team=team) if team else Q(pk__in=[]))
    return qs.filter(own).order_by("-created_at", "-id")


def private_visible(phase: ChallengePhase, now: datetime | None = None) -> bool:
    return phase.is_closed(now)


def _board_stamp(phase: ChallengePhase) -> str:
    """Changes whenever a submission is added or scored, or a team with submissions gains a member."""
    agg = Submission.objects.filter(phase=phase).aggregate(
        n=Count("pk"), last=Max("pk"), scored=Max("scored_at"), members=Count("team__members", distinct=True))
    scored = agg["scored"].timestamp() if agg["scored"] else 0
    return f"{agg['n']}:{agg['last']}:{scored}:{agg['members']}"


def leaderboard(*, phase: ChallengePhase, private: bool) -> list[dict]:
    """The board, cached until a submission is added or scored (see ``_board_stamp``)."""
    key = f"deepfake:board:v1:{phase.pk}:{int(private)}:{_board_stamp(phase)}"
    board = cache.get(key)
    if board is None:
        board = _leaderboard(phase=phase, private=private)
        cache.set(key, board, BOARD_CACHE_SECONDS)
    return board


def _leaderboard(*, phase: ChallengePhase, private: bool) -> list[dict]:
    """One row per entrant (team, or student without a team; every baseline its own row).

    The submission that counts is chosen on the public half only (best public AUC, or the
    last scored one, per the challenge's rule); the private board shows that same
    submission's private scores, so tuning to the public half does not pay."""
    rule = phase.challenge.rule if hasattr(phase, "challenge") else Challenge.objects.get(pk=phase.challenge_id).rule
    rows = list(
        Submission.objects.filter(phase=phase, status=Submission.Status.SCORED)
        .values("pk", "submitted_by_id", "team_id", "is_baseline", "created_at", "public_auc")
        .order_by("created_at", "pk")
    )
    chosen: dict[str, dict] = {}
    counts: dict[str, int] = {}
    for row in rows:
        key = f"baseline:{row['pk']}" if row["is_baseline"] else (
            f"team:{row['team_id']}" if row["team_id"] else f"user:{row['submitted_by_id']}")
        counts[key] = counts.get(key, 0) + 1
        best = chosen.get(key)
        if rule == Challenge.Rule.LAST or best is None or (row["public_auc"] or 0) > (best["public_auc"] or 0):
            chosen[key] = row
    # Only the chosen submissions' details (names, both halves' scores, the per-generator JSON) are read.
    details = {
        d["pk"]: d for d in Submission.objects.filter(pk__in=[r["pk"] for r in chosen.values()]).values(
            "pk", "submitted_by__username", "submitted_by__first_name", "submitted_by__last_name", "team__name",
            "label", "kind", "public_accuracy", "private_auc", "private_accuracy", "scores")
    }
    for row in chosen.values():
        row.update(details[row["pk"]])
    team_ids = [r["team_id"] for r in chosen.values() if r["team_id"]]
    members: dict[int, list[int]] = {}
    for team_id, user_id in ChallengeTeam.members.through.objects.filter(challengeteam_id__in=team_ids).values_list(
            "challengeteam_id", "user_id"):
        members.setdefault(team_id, []).append(user_id)
    split = "private" if private else "public"
    entries = []
    for key, row in chosen.items():
        name = " ".join(p for p in (row["submitted_by__last_name"], row["submitted_by__first_name"]) if p).strip()
        entries.append({
            "key": key, "submission_id": row["pk"], "is_baseline": row["is_baseline"],
            "entrant": row["team__name"] or name or row["submitted_by__username"],
            "team": row["team__name"] or "", "label": row["label"], "kind": row["kind"],
            "member_ids": members.get(row["team_id"], []) if row["team_id"] else [row["submitted_by_id"]],
            "auc": row[f"{split}_auc"], "accuracy": row[f"{split}_accuracy"],
            "per_generator": (row["scores"] or {}).get(split, {}).get("per_generator", {}),
            "submissions": counts[key], "created_at": row["created_at"],
        })
    entries.sort(key=lambda e: (-(e["auc"] if e["auc"] is not None else -1),
                                -(e["accuracy"] if e["accuracy"] is not None else -1), e["created_at"]))
    ranks = competition_ranks([(e["auc"], e["accuracy"]) for e in entries])
    for entry, rank in zip(entries, ranks, strict=True):
        entry["rank"] = rank
    return entries


def experiment_list_for_user(*, user) -> QuerySet[Experiment]:
    """A student's own experiments; a teacher's: those of the challenges they created."""
    qs = Experiment.objects.select_related("challenge", "student")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.STUDENT:
        return qs.filter(student=user).order_by("-created_at", "-id")
    if user.role == Role.TEACHER:
        return qs.filter(challenge__created_by=user).order_by("-created_at", "-id")
    return qs.none()


def experiment_get_for_user(*, user, experiment_id: int) -> Experiment:
    experiment = experiment_list_for_user(user=user).filter(pk=experiment_id).first()
    if experiment is None:
        raise Http404("No such experiment.")
    return experiment
