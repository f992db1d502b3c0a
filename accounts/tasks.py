from celery import shared_task

from .services import notification_email_deliver


@shared_task(name="accounts.tasks.notification_email_task", acks_late=True)
def notification_email_task(notification_ids: list[int]) -> int:
    return notification_email_deliver(notification_ids=notification_ids)
