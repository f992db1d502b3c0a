"""Beat tasks of the evaluations app (see CELERY_BEAT_SCHEDULE): reminders before the
deadline, finalisation at the deadline, joint rewards when the appeal window closes.
Each is idempotent: running it twice changes nothing the second time."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="evaluations.tasks.rounds_finalise_due_task")
def rounds_finalise_due_task() -> dict:
    from .finalisation import rounds_finalise_due

    report = rounds_finalise_due()
    return {"finalised": len(report.finalised), "lapsed": len(report.lapsed)}


@shared_task(name="evaluations.tasks.rounds_remind_due_task")
def rounds_remind_due_task() -> int:
    from .finalisation import rounds_remind_due

    return rounds_remind_due()


@shared_task(name="evaluations.tasks.rewards_grant_due_task")
def rewards_grant_due_task() -> int:
    from .rewards import rewards_grant_due

    return rewards_grant_due()


@shared_task(name="evaluations.tasks.rounds_finalise_task")
def rounds_finalise_task(round_ids: list[int]) -> int:
    """Finalise the given rounds at once (the organiser's "finalise now", the benchmark)."""
    from .finalisation import rounds_finalise

    return len(rounds_finalise(round_ids=round_ids).finalised)


@shared_task(name="evaluations.tasks.rounds_finalised_followup_task")
def rounds_finalised_followup_task(round_ids: list[int]) -> int:
    """After commit of a finalisation: notify the students, update their practice evidence and radar."""
    from .finalisation import rounds_finalised_followup

    return rounds_finalised_followup(round_ids=round_ids)
