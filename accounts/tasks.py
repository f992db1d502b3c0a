from celery import shared_task

from .services import notification_email_deliver


@shared_task(name="accounts.tasks.notification_email_task", acks_late=True)
def notification_email_task(notification_ids: list[int]) -> int:
    return notification_email_deliver(notification_ids=notification_ids)


@shared_task(name="accounts.tasks.account_request_decision_email_task", acks_late=True)
def account_request_decision_email_task(account_request_id: int, site_url: str = "") -> bool:
    """E-mail a decided account request to the requester; sends at most once."""
    from .services import account_request_decision_email_send

    return account_request_decision_email_send(account_request_id=account_request_id, site_url=site_url)
