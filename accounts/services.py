"""Writes for accounts: users, organisations, the audit log and notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation

from .errors import ApplicationError, NotPermitted
from .models import AccountRequest, AuditLog, Membership, Notification, Organization, Role, User


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


# --- account requests ----------------------------------------------------------------------

ACCOUNT_REQUEST_NOTE_MAX = 2000


def _account_request_invalid(fields: dict[str, list[str]]) -> ApplicationError:
    from django.utils.translation import gettext as _

    return ApplicationError(_("The submitted data is invalid."), code="invalid", extra=fields)


@transaction.atomic
def account_request_create(
    *, full_name: str, email: str, role: str, language: str, phone: str = "", organization_name: str = "",
    message: str = "",
) -> AccountRequest | None:
    """A visitor asks for an account. Returns None, creating nothing, when the address already
    belongs to a user: the visitor sees the same answer as for a new request (no enumeration).
    A second pending request for the same address is refused. School administrators are told."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import gettext_noop

    from .text_input import text_clean

    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if role not in AccountRequest.RequestedRole.values:
        errors["role"] = [_("Choose a role you may request.")]
    cleaned: dict[str, str] = {}
    for name, value, label, max_length, required in (
        ("full_name", full_name, _("Full name"), 100, True),
        ("phone", phone, _("Phone"), 30, False),
        ("organization_name", organization_name, _("Organisation"), 200, role == Role.ENTERPRISE),
        ("message", message, _("Message"), 2000, False),
    ):
        try:
            cleaned[name] = text_clean(value, label=str(label), max_length=max_length, required=required)
        except ApplicationError as exc:
            errors[name] = [str(exc.message)]
    if errors:
        raise _account_request_invalid(errors)
    if language not in {code for code, _label in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE

    if User.objects.filter(email__iexact=email).exists():
        audit_log_record(actor=None, action="account_request.existing_email", data={"role": role})
        return None
    duplicate = ApplicationError(
        _("A request for this e-mail address is already waiting for a decision."), code="duplicate_pending",
        extra={"email": [_("A request for this e-mail address is already waiting for a decision.")]},
    )
    if AccountRequest.objects.filter(email__iexact=email, status=AccountRequest.Status.PENDING).exists():
        raise duplicate
    try:
        with transaction.atomic():  # the partial unique index settles two simultaneous requests
            account_request = AccountRequest.objects.create(email=email, role=role, language=language, **cleaned)
    except IntegrityError:
        raise duplicate from None
    audit_log_record(actor=None, action="account_request.create", target=account_request, data={"role": role})
    admins = list(User.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True).values_list("pk", flat=True))
    if admins:
        notification_send(
            recipients=admins,
            title=gettext_noop("New account request from %(name)s"),
            body=gettext_noop("%(name)s (%(email)s, %(organization)s) asks for an account. "
                              "Review it on the moderation page."),
            params={"name": account_request.full_name, "email": account_request.email,
                    "organization": account_request.organization_name or "-"},
            url=reverse("admin_portal:moderation") + "#accounts",
        )
    return account_request


def _username_from_email(email: str) -> str:
    """A free username from the address's local part: "li.hui@x.cn" → "li.hui", then "li.hui2"…"""
    import re

    base = re.sub(r"[^a-z0-9._-]+", "", email.split("@", 1)[0].lower())[:140] or "user"
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def _enterprise_for_request(account_request: AccountRequest) -> tuple[Organization, bool]:
    """The enterprise named in the request: an existing one of that name, or a new one.
    Returns (organization, created)."""
    from django.utils.text import slugify
    from django.utils.translation import gettext as _

    name = account_request.organization_name.strip()
    existing = Organization.objects.filter(name__iexact=name).first()
    if existing is not None:
        if existing.kind != Organization.Kind.ENTERPRISE:
            raise ApplicationError(
                _("%(name)s is not an enterprise on the platform.") % {"name": existing.name}, code="not_enterprise")
        return existing, False
    base = f"ent-{slugify(name)[:36]}" if slugify(name) else f"ent-request-{account_request.pk}"
    code, n = base, 2
    while Organization.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    organization = Organization.objects.create(kind=Organization.Kind.ENTERPRISE, name=name, code=code)
    return organization, True


@transaction.atomic
def account_request_decide(
    *, actor: User, request: AccountRequest, approve: bool, note: str = "", site_url: str = ""
) -> AccountRequest:
    """A school administrator approves or rejects a pending request. Approving creates the user
    (unusable password, the request's role and language; enterprise staff join their enterprise,
    created when new). The requester is e-mailed after commit, in the request's language; an
    approval carries a link to set a password (`site_url` makes it absolute)."""
    from django.utils.translation import gettext as _

    from .tasks import account_request_decision_email_task
    from .text_input import text_clean

    if actor is None or not actor.is_authenticated or actor.role != Role.SCHOOL_ADMIN:
        raise NotPermitted(_("Only school administrators decide account requests."))
    account_request = AccountRequest.objects.select_for_update().filter(pk=request.pk).first()
    if account_request is None:
        raise ApplicationError(_("Not found."), code="not_found", status_code=404)
    if account_request.status != AccountRequest.Status.PENDING:
        raise ApplicationError(_("This account request has already been decided."), code="already_decided")
    try:
        note = text_clean(note, label=str(_("Reason")), max_length=ACCOUNT_REQUEST_NOTE_MAX, required=not approve)
    except ApplicationError:
        message = (_("Give the reason for rejecting the request.") if not approve and not (note or "").strip()
                   else _("Reason: at most %(n)d characters, no NUL characters.") % {"n": ACCOUNT_REQUEST_NOTE_MAX})
        raise ApplicationError(message, code="note", extra={"note": [message]}) from None

    data: dict[str, Any] = {"role": account_request.role}
    if approve:
        if User.objects.filter(email__iexact=account_request.email).exists():
            raise ApplicationError(_("An account with this e-mail address already exists."), code="email_taken")
        user = user_create(actor=actor, username=_username_from_email(account_request.email), password=None,
                           role=account_request.role, display_name=account_request.full_name[:100],
                           email=account_request.email)
        user.language, user.phone = account_request.language, account_request.phone
        user.save(update_fields=["language", "phone"])
        organization = None
        if account_request.role == Role.ENTERPRISE:
            organization, created = _enterprise_for_request(account_request)
            # the first person of a new enterprise manages it (invites colleagues)
            Membership.objects.create(organization=organization, user=user, is_manager=created)
        elif account_request.role == Role.INDUSTRY and account_request.organization_name:
            organization = Organization.objects.filter(
                name__iexact=account_request.organization_name.strip(),
                kind=Organization.Kind.INDUSTRY_ASSOCIATION).first()
            if organization is not None:
                Membership.objects.create(organization=organization, user=user)
        account_request.user = user
        account_request.status = AccountRequest.Status.APPROVED
        data.update(user=user.pk, organization=organization.pk if organization else None)
    else:
        account_request.status = AccountRequest.Status.REJECTED
    account_request.decided_by = actor
    account_request.decided_at = timezone.now()
    account_request.decision_note = note
    account_request.save(update_fields=["user", "status", "decided_by", "decided_at", "decision_note"])
    audit_log_record(actor=actor, action=f"account_request.{'approve' if approve else 'reject'}",
                     target=account_request, data=data)
    request_id = account_request.pk
    transaction.on_commit(lambda: account_request_decision_email_task.delay(request_id, site_url))
    return account_request


def account_request_decision_email_send(*, account_request_id: int, site_url: str = "") -> bool:
    """E-mail the decision to the requester, once (idempotent), in the request's language. An
    approval carries a fresh link to set a password (Django's default_token_generator)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from django.utils.translation import gettext as _

    with transaction.atomic():
        account_request = (
            AccountRequest.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=account_request_id, decision_emailed_at__isnull=True)
            .exclude(status=AccountRequest.Status.PENDING)
            .first()
        )
        if account_request is None:
            return False
        approved = account_request.status == AccountRequest.Status.APPROVED
        context: dict[str, Any] = {"account_request": account_request}
        if approved:
            user = account_request.user
            if user is None:  # deleted since: nothing to set a password for
                return False
            path = reverse("accounts:password_set", kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user)})
            context.update(user=user, link=site_url.rstrip("/") + path if site_url else path)
        with translation.override(account_request.language or settings.LANGUAGE_CODE):
            if approved:
                subject = _("Your Chanjiao account is ready")
                body = render_to_string("accounts/email/account_request_approved.txt", context)
            else:
                subject = _("Your Chanjiao account request")
                body = render_to_string("accounts/email/account_request_rejected.txt", context)
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[account_request.email],
                  fail_silently=False)
        account_request.decision_emailed_at = timezone.now()
        account_request.save(update_fields=["decision_emailed_at"])
    return True
