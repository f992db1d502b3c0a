"""Celery tasks of the deepfake app. Jobs and training runs go to the ``inference``
queue (CELERY_TASK_ROUTES); acks_late, reject_on_worker_lost, prefetch 1 and the time
limits come from the foundation's settings. Each task takes an id and calls a service.
The sweep runs on the ``default`` queue (beat, every DEEPFAKE_SWEEP_SECONDS)."""

from celery import shared_task
from django.conf import settings

from . import services
from .services.jobs import detection_jobs_sweep
from .services.training import training_runs_sweep


@shared_task(name="deepfake.tasks.detection_job_run_task", bind=True, acks_late=True, reject_on_worker_lost=True,
             max_retries=None)
def detection_job_run_task(self, job_id: int) -> str:
    outcome = services.detection_job_run(job_id=job_id)
    if outcome == "running-elsewhere":
        # A duplicate while a live worker runs the job: look again once its heartbeat would
        # have gone stale, in case that worker dies (then this message takes the job over).
        raise self.retry(countdown=settings.DEEPFAKE_STALE_SECONDS + settings.DEEPFAKE_HEARTBEAT_SECONDS)
    return outcome


@shared_task(name="deepfake.tasks.training_run_task", acks_late=True, reject_on_worker_lost=True)
def training_run_task(run_id: int) -> str:
    return services.training_run_execute(run_id=run_id)


@shared_task(name="deepfake.tasks.jobs_sweep_task", acks_late=True)
def jobs_sweep_task() -> dict:
    return {"jobs": detection_jobs_sweep(), "training": training_runs_sweep()}
