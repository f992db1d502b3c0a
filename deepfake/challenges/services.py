"""Writes for class challenges: creation from the teacher's zip, phases, teams,
submissions (prediction CSVs scored at once, weights scored on the ``inference`` queue),
and the final ranks with their CHALLENGE_RANK points."""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.errors import ApplicationError, NotPermitted
from accounts.services import audit_log_record, notification_send

from . import permissions, selectors
from .archive import LABELS_NAME, build_zip, read_labelled_zip
from .models import Challenge, ChallengeItem, ChallengePhase, ChallengeTeam, Submission
from .predictions import parse_predictions
from .scoring import Item, competition_ranks, public_half, score_predictions

logger = logging.getLogger(__name__)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _stored_name(kind: str, extension: str) -> str:
    return f"deepfake/{kind}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


# --- Challenges ------------------------------------------------------------------------------


def _split(images, dev_fraction: float, salt: str):
    """Dev / test split stratified by generator, fixed by a salted hash of the file name."""
    by_generator: dict[str, list] = {}
    for image in images:
        by_generator.setdefault(image.generator, []).append(image)
    dev, test = [], []
    for group in by_generator.values():
        ordered = sorted(group, key=lambda i: hashlib.sha256(f"{salt}:{i.name}".encode()).hexdigest())
        n_dev = int(round(len(ordered) * dev_fraction))
        dev.extend(ordered[:n_dev])
        test.extend(ordered[n_dev:])
    return dev, test


@transaction.atomic
def challenge_create(*, actor, title: str, description: str = "", classes, archive, starts_at: datetime,
                     ends_at: datetime, phase_name: str = "", dev_fraction: float = 0.2, daily_quota: int = 5,
                     total_quota: int = 50, rule: str = Challenge.Rule.BEST) -> Challenge:
    if not permissions.can_create_challenge(actor):
        raise NotPermitted("Only teachers create challenges.")
    classes = list(classes)
    if not classes:
        raise ApplicationError("Choose at least one class.", code="classes_required")
    taught = set(selectors.classes_taught_by(user=actor).values_list("pk", flat=True))
    if any(c.pk not in taught for c in classes):
        raise NotPermitted("You can only set challenges for classes you teach.")
    if ends_at <= starts_at:
        raise ApplicationError("The phase must close after it opens.", code="invalid_dates")
    if not 0.0 <= dev_fraction <= 0.5:
        raise ApplicationError("The dev split must be 0 to 50 % of the images.", code="invalid_split")
    if rule not in Challenge.Rule.values:
        raise ApplicationError("Unknown leaderboard rule.", code="invalid_rule")
    images = read_labelled_zip(archive)
    salt = secrets.token_hex(8)
    dev, test = _split(images, dev_fraction, salt)
    if len({i.label for i in test}) < 2:
        raise ApplicationError("The test set needs both real and fake images.", code="one_class_test_set")
    ordered = sorted(test, key=lambda i: hashlib.sha256(f"{salt}:id:{i.name}".encode()).hexdigest())
    ids = [f"t{n:05d}" for n in range(1, len(ordered) + 1)]
    # stratified by label and generator, so each generator is scored on both leaderboards
    groups: dict[tuple[int, str], list[str]] = {}
    for item_id, img in zip(ids, ordered, strict=True):
        groups.setdefault((img.label, img.generator or ""), []).append(item_id)
    public = public_half(groups, salt)
    dev_csv = "file,label,generator\n" + "".join(
        f"{i.name},{'fake' if i.label else 'real'},{i.generator}\n" for i in dev)
    dev_zip = build_zip([(i.name, i.data) for i in dev] + [(LABELS_NAME, dev_csv.encode())])
    test_zip = build_zip([(f"{item_id}{img.extension}", img.data) for item_id, img in zip(ids, ordered, strict=True)])

    challenge = Challenge(title=title.strip()[:120], description=description, created_by=actor, rule=rule,
                          daily_quota=daily_quota, total_quota=total_quota, test_count=len(test), dev_count=len(dev),
                          generators=sorted({i.generator for i in images} - {"real"}))
    saved: list[str] = []
    try:
        challenge.dev_archive.save(_stored_name("challenges", ".zip"), ContentFile(dev_zip), save=False)
        saved.append(challenge.dev_archive.name)
        challenge.test_archive.save(_stored_name("challenges", ".zip"), ContentFile(test_zip), save=False)
        saved.append(challenge.test_archive.name)
        challenge.save()
        challenge.classes.set(classes)
        ChallengeItem.objects.bulk_create([
            ChallengeItem(challenge=challenge, item_id=item_id, label=img.label, generator=img.generator,
                          is_public=item_id in public)
            for item_id, img in zip(ids, ordered, strict=True)
        ])
        ChallengePhase.objects.create(challenge=challenge, name=phase_name or "Main", starts_at=starts_at,
                                      ends_at=ends_at)
        audit_log_record(actor=actor, action="deepfake.challenge_create", target=challenge,
                         data={"test": len(test), "dev": len(dev), "classes": [c.pk for c in classes]})
    except Exception:
        for name in saved:
            default_storage.delete(name)
        raise
    return challenge


@transaction.atomic
def challenge_phase_add(*, actor, challenge: Challenge, name: str, starts_at: datetime,
                        ends_at: datetime) -> ChallengePhase:
    if not permissions.can_manage_challenge(actor, challenge):
        raise NotPermitted("Only the challenge's teacher adds phases.")
    if ends_at <= starts_at:
        raise ApplicationError("The phase must close after it opens.", code="invalid_dates")
    phase = ChallengePhase.objects.create(challenge=challenge, name=name[:80], starts_at=starts_at, ends_at=ends_at)
    audit_log_record(actor=actor, action="deepfake.challenge_phase_add", target=phase)
    return phase


@transaction.atomic
def team_join(*, actor, challenge: Challenge, name: str) -> ChallengeTeam:
    """Join the team called ``name`` (created if new). A student is in one team per challenge
    and cannot switch once they have submitted."""
    if not permissions.can_enter(actor, challenge):
        raise NotPermitted("Only students of the challenge's classes form teams.")
    name = name.strip()[:60]
    if not name:
        raise ApplicationError("Give the team a name.", code="team_name_required")
    current = ChallengeTeam.objects.filter(challenge=challenge, members=actor).first()
    if current and current.name == name:
        return current
    if Submission.objects.filter(phase__challenge=challenge, submitted_by=actor).exists():
        raise ApplicationError("You have already submitted; you cannot change team now.", code="team_locked")
    team, _created = ChallengeTeam.objects.get_or_create(challenge=challenge, name=name)
    if current:
        current.members.remove(actor)
    team.members.add(actor)
    audit_log_record(actor=actor, action="deepfake.team_join", target=team)
    return team


# --- Submissions -----------------------------------------------------------------------------


def _check_window_and_quota(*, actor, phase: ChallengePhase, team: ChallengeTeam | None, now: datetime) -> None:
    if now < phase.starts_at:
        raise ApplicationError("This phase is not open yet.", code="phase_not_open", status_code=409)
    if now >= phase.ends_at:
        raise ApplicationError("This phase has closed; submissions are no longer accepted.", code="phase_closed",
                               status_code=409)
    counted = Submission.objects.filter(phase=phase, is_baseline=False).exclude(status=Submission.Status.FAILED)
    counted = counted.filter(team=team) if team else counted.filter(submitted_by=actor, team__isnull=True)
    challenge = phase.challenge
    if counted.count() >= challenge.total_quota:
        raise ApplicationError(f"The quota of {challenge.total_quota} submissions for this phase is used up.",
                               code="quota_total", status_code=429)
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if counted.filter(created_at__gte=day_start, created_at__lte=now).count() >= challenge.daily_quota:
        raise ApplicationError(f"The daily quota of {challenge.daily_quota} submissions is used up; "
                               "try again tomorrow.", code="quota_daily", status_code=429)


def _read_upload(uploaded, limit: int) -> bytes:
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise ApplicationError(f"The file is larger than {limit // (1024 * 1024)} MB.", code="too_large")
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ApplicationError(f"The file is larger than {limit // (1024 * 1024)} MB.", code="too_large")
    if not data:
        raise ApplicationError("The file is empty.", code="empty_file")
    return data


def _items(challenge: Challenge) -> list[Item]:
    return [Item(*row) for row in ChallengeItem.objects.filter(challenge=challenge)
            .values_list("item_id", "label", "generator", "is_public")]


def _apply_scores(submission: Submission, scores: dict) -> None:
    submission.scores = scores
    submission.public_auc, submission.public_accuracy = scores["public"]["auc"], scores["public"]["accuracy"]
    submission.private_auc, submission.private_accuracy = scores["private"]["auc"], scores["private"]["accuracy"]
    submission.status = Submission.Status.SCORED
    submission.scored_at = timezone.now()


def _prepare(*, actor, phase: ChallengePhase, baseline: bool, now: datetime) -> tuple[ChallengePhase, ChallengeTeam | None]:
    phase = ChallengePhase.objects.select_for_update().select_related("challenge").get(pk=phase.pk)
    challenge = phase.challenge
    if baseline:
        if not permissions.can_manage_challenge(actor, challenge):
            raise NotPermitted("Only the challenge's teacher posts a baseline.")
        return phase, None
    if not permissions.can_enter(actor, challenge):
        raise NotPermitted("Only students of the challenge's classes submit.")
    team = ChallengeTeam.objects.filter(challenge=challenge, members=actor).first()
    _check_window_and_quota(actor=actor, phase=phase, team=team, now=now)
    return phase, team


@transaction.atomic
def submission_create_predictions(*, actor, phase: ChallengePhase, uploaded_file, label: str = "",
                                  baseline: bool = False, now: datetime | None = None) -> Submission:
    """A prediction CSV, checked and scored at once; nothing is stored when it is refused."""
    now = _now(now)
    phase, team = _prepare(actor=actor, phase=phase, baseline=baseline, now=now)
    items = _items(phase.challenge)
    data = _read_upload(uploaded_file, 2 * 1024 * 1024)
    predictions = parse_predictions(data, {i.item_id for i in items})
    submission = Submission(phase=phase, submitted_by=actor, team=team, kind=Submission.Kind.PREDICTIONS,
                            is_baseline=baseline, label=label[:80], created_at=now)
    _apply_scores(submission, score_predictions(items, predictions))
    name = _stored_name("submissions", ".csv")
    submission.file.save(name, ContentFile(data), save=False)
    try:
        submission.save()
        audit_log_record(actor=actor, action="deepfake.submission_create", target=submission,
                         data={"kind": "predictions", "public_auc": submission.public_auc})
    except Exception:
        default_storage.delete(submission.file.name)
        raise
    return submission


@transaction.atomic
def submission_create_weights(*, actor, phase: ChallengePhase, uploaded_file, label: str = "",
                              baseline: bool = False, now: datetime | None = None) -> Submission:
    """Model weights: loaded safely now (a bad file is refused at once), scored by a worker."""
    from .weights import MAX_WEIGHTS_BYTES, load_checkpoint

    now = _now(now)
    phase, team = _prepare(actor=actor, phase=phase, baseline=baseline, now=now)
    data = _read_upload(uploaded_file, MAX_WEIGHTS_BYTES)
    load_checkpoint(data)
    submission = Submission(phase=phase, submitted_by=actor, team=team, kind=Submission.Kind.WEIGHTS,
                            is_baseline=baseline, label=label[:80], created_at=now)
    submission.file.save(_stored_name("submissions", ".pt"), ContentFile(data), save=False)
    try:
        submission.save()
        audit_log_record(actor=actor, action="deepfake.submission_create", target=submission, data={"kind": "weights"})
    except Exception:
        default_storage.delete(submission.file.name)
        raise
    from .tasks import challenge_submission_score_task

    transaction.on_commit(lambda: challenge_submission_score_task.delay(submission.pk))
    return submission


def submission_score_weights(*, submission_id: int) -> str:
    """The worker's part (idempotent): score a weights submission on the whole test set."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if submission is None or submission.status in (Submission.Status.SCORED, Submission.Status.FAILED):
            return "skipped"
        submission.status = Submission.Status.RUNNING
        submission.save(update_fields=["status"])
    challenge = Challenge.objects.get(pk=submission.phase.challenge_id)
    try:
        from .weights import predict_archive

        with submission.file.open("rb") as fh:
            data = fh.read()
        predictions = predict_archive(data, challenge.test_archive.path, batch_size=settings.DEEPFAKE_BATCH_SIZE)
        items = _items(challenge)
        missing = {i.item_id for i in items} - predictions.keys()
        if missing:
            raise ApplicationError(f"{len(missing)} test image(s) could not be scored.")
        scores = score_predictions(items, predictions)
    except ApplicationError as exc:
        return _submission_fail(submission_id, str(exc.message))
    except Exception as exc:  # noqa: BLE001 - the reason is shown to the student, the trace logged
        logger.exception("scoring submission %s failed", submission_id)
        return _submission_fail(submission_id, f"Scoring failed: {type(exc).__name__}")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.status != Submission.Status.RUNNING:
            return "skipped"
        _apply_scores(submission, scores)
        submission.save()
    return "scored"


def _submission_fail(submission_id: int, reason: str) -> str:
    with transaction.atomic():
        Submission.objects.filter(pk=submission_id).update(status=Submission.Status.FAILED, error=reason[:500],
                                                          scored_at=timezone.now())
    return "failed"


def submission_time_out(*, submission_id: int) -> str:
    return _submission_fail(submission_id, "Scoring took longer than the time limit.")


# --- Closing a phase -------------------------------------------------------------------------

RANK_POINTS_DEFAULT = (30, 20, 10)


@transaction.atomic
def phase_finalize(*, phase_id: int, now: datetime | None = None) -> int:
    """After the close: the private leaderboard decides the final ranks; the top entrants'
    students get CHALLENGE_RANK points (idempotent per phase and student). Returns grants made."""
    from students.models import PointSource, StudentProfile
    from students.services import points_grant

    now = _now(now)
    phase = ChallengePhase.objects.select_for_update().select_related("challenge").filter(pk=phase_id).first()
    if phase is None or phase.finalized_at is not None or not phase.is_closed(now):
        return 0
    amounts = list(getattr(settings, "DEEPFAKE_CHALLENGE_RANK_POINTS", RANK_POINTS_DEFAULT))
    grants = 0
    notified: list[int] = []
    # Baselines are shown on the board but take no rank from the students.
    entries = [r for r in selectors.leaderboard(phase=phase, private=True) if not r["is_baseline"]]
    for row, rank in zip(entries, competition_ranks([(e["auc"], e["accuracy"]) for e in entries]), strict=True):
        if rank > len(amounts):
            continue
        for profile in StudentProfile.objects.filter(user_id__in=row["member_ids"]):
            points_grant(actor=None, student=profile, source=PointSource.CHALLENGE_RANK, amount=amounts[rank - 1],
                         reason=gettext_noop("Rank %(rank)s in the challenge “%(challenge)s”"),
                         reason_params={"rank": rank, "challenge": phase.challenge.title},
                         reference=f"deepfake-phase:{phase.pk}:{profile.pk}")
            grants += 1
            notified.append(profile.user_id)
    phase.finalized_at = now
    phase.save(update_fields=["finalized_at"])
    participants = list(Submission.objects.filter(phase=phase, is_baseline=False)
                        .values_list("submitted_by_id", flat=True).distinct())
    if participants:
        notification_send(recipients=participants,
                          title=gettext_noop("The private leaderboard of “%(challenge)s” is out"),
                          params={"challenge": phase.challenge.title},
                          url=reverse("deepfake:challenge_detail", args=[phase.challenge_id]))
    audit_log_record(actor=None, action="deepfake.phase_finalize", target=phase, data={"grants": grants})
    return grants


def phases_finalize_due(*, now: datetime | None = None) -> int:
    now = _now(now)
    done = 0
    for phase_id in ChallengePhase.objects.filter(finalized_at__isnull=True, ends_at__lte=now).values_list("pk", flat=True):
        done += phase_finalize(phase_id=phase_id, now=now)
    return done


@transaction.atomic
def phase_close(*, actor, phase: ChallengePhase, now: datetime | None = None) -> ChallengePhase:
    """The teacher closes a phase early; the final ranks are granted at once."""
    now = _now(now)
    if not permissions.can_manage_challenge(actor, phase.challenge):
        raise NotPermitted("Only the challenge's teacher closes a phase.")
    phase = ChallengePhase.objects.select_for_update().get(pk=phase.pk)
    if phase.ends_at > now:
        if phase.starts_at >= now:
            raise ApplicationError("This phase has not opened yet.", code="phase_not_open")
        phase.ends_at = now
        phase.save(update_fields=["ends_at"])
        audit_log_record(actor=actor, action="deepfake.phase_close", target=phase)
    phase_finalize(phase_id=phase.pk, now=now)
    phase.refresh_from_db()
    return phase


__all__ = [
    "challenge_create", "challenge_phase_add", "team_join", "submission_create_predictions",
    "submission_create_weights", "submission_score_weights", "phase_finalize", "phases_finalize_due", "phase_close",
]
