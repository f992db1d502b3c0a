"""Celery tasks of the deepfake app. Routed to the ``inference`` queue
(CELERY_TASK_ROUTES); acks_late, reject_on_worker_lost, prefetch 1 and the time
limits come from the foundation's settings. Each task takes an id and calls a service."""

from celery import shared_task

from . import services


@shared_task(name="deepfake.tasks.detection_job_run_task", acks_late=True, reject_on_worker_lost=True)
def detection_job_run_task(job_id: int) -> str:
    return services.detection_job_run(job_id=job_id)


@shared_task(name="deepfake.tasks.training_run_task", acks_late=True, reject_on_worker_lost=True)
def training_run_task(run_id: int) -> str:
    return services.training_run_execute(run_id=run_id)
