"""Celery tasks for challenges, on the ``inference`` queue (named ``deepfake.tasks.*`` for the
route). Registered through ``deepfake.apps.DeepfakeConfig.ready``."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import services

SCORING_SECONDS = getattr(settings, "DEEPFAKE_CHALLENGE_SCORING_SECONDS", 120)


@shared_task(name="deepfake.tasks.challenge_submission_score_task", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=SCORING_SECONDS, time_limit=SCORING_SECONDS + 30)
def challenge_submission_score_task(submission_id: int) -> str:
    try:
        return services.submission_score_weights(submission_id=submission_id)
    except SoftTimeLimitExceeded:
        return services.submission_time_out(submission_id=submission_id)


@shared_task(name="deepfake.tasks.challenge_phases_finalize_task")
def challenge_phases_finalize_task() -> int:
    return services.phases_finalize_due()


EXPERIMENT_SECONDS = getattr(settings, "DEEPFAKE_EXPERIMENT_SECONDS", 600)


@shared_task(name="deepfake.tasks.experiment_run_task", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=EXPERIMENT_SECONDS, time_limit=EXPERIMENT_SECONDS + 30)
def experiment_run_task(experiment_id: int) -> str:
    from .experiments import experiment_run

    return experiment_run(experiment_id=experiment_id)
