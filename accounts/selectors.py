"""Reads for accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification, Organization, User


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def organizations_for_user(*, user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=user).order_by("kind", "name")


def user_counts_by_role() -> list[dict]:
    """[{"role": code, "label": ..., "count": n}] for every role, in one query."""
    from django.db.models import Count

    from .models import Role

    counts = dict(User.objects.filter(is_active=True).values_list("role").annotate(n=Count("id")).values_list("role", "n"))
    return [{"role": value, "label": label, "count": counts.get(value, 0)} for value, label in Role.choices]


def account_requests_pending() -> QuerySet:
    """Account requests waiting for a school administrator, oldest first."""
    from .models import AccountRequest

    return AccountRequest.objects.filter(status=AccountRequest.Status.PENDING).order_by("created_at", "id")
