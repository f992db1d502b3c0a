"""Writes for accounts: users, organisations, the audit log and notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation

from .errors import ApplicationError
from .models import AuditLog, Notification, Role, User


def audit_log_record(
    *, actor: User | None, action: str, target: models.Model | None = None, data: dict[str, Any] | None = None
) -> AuditLog:
    """Append one audit entry. Call it inside the service's transaction so the
    entry exists exactly when the change does."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role: str,
    display_name: str = "",
    display_name_en: str = "",
    email: str = "",
) -> User:
    if role not in Role.values:
        raise ApplicationError(f"Unknown role {role!r}.", code="invalid_role")
    if User.objects.filter(username=username).exists():
        raise ApplicationError(f"The username {username!r} is taken.", code="username_taken")
    user = User(
        username=username, role=role, display_name=display_name, display_name_en=display_name_en, email=email
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_log_record(actor=actor, action="user.create", target=user, data={"role": role})
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    valid = {code for code, _ in settings.LANGUAGES}
    if language not in valid:
        raise ApplicationError(f"Unsupported language {language!r}.", code="invalid_language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def notification_send(
    *, recipients: Iterable[User | int], title: str, body: str = "", url: str = "",
    params: dict | None = None,
) -> list[Notification]:
    """Create in-app notifications and, after commit, e-mail them from a worker.

    ``title`` and ``body`` are English source texts marked with ``gettext_noop``;
    ``params`` fill their ``%(name)s`` placeholders. They are translated when read, in
    the reader's language (accounts/deferred_text.py), never stored translated."""
    from .tasks import notification_email_task

    recipient_ids = sorted({r if isinstance(r, int) else r.pk for r in recipients})
    stored_params = {k: (v if isinstance(v, int | float | bool) or v is None else str(v)) for k, v in (params or {}).items()}
    created = Notification.objects.bulk_create(
        [Notification(recipient_id=rid, title=str(title)[:200], body=str(body), url=url, params=stored_params)
         for rid in recipient_ids]
    )
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: notification_email_task.delay(ids))
    return created


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read; ids of other users' are ignored."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def notification_email_deliver(*, notification_ids: Iterable[int]) -> int:
    """Send the e-mail copy of each notification once. Safe to run twice (idempotent)."""
    from django.core.mail import send_mail

    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update()
                .select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True)
                .first()
            )
            if notification is None:
                continue
            if notification.recipient.email:
                with translation.override(notification.recipient.language or settings.LANGUAGE_CODE):
                    subject = notification.title_text
                    message = notification.body_text or subject
                send_mail(
                    subject=subject,
                    message=message,
                    from_email=None,
                    recipient_list=[notification.recipient.email],
                    fail_silently=False,
                )
                sent += 1
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
    return sent
