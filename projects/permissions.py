"""Who may do what in the projects app. Object-level reads are scoped in selectors.py
(`<thing>_get_for_user` raise 404 for what is not the user's to see); writes check
again in services with these helpers."""

from __future__ import annotations

from accounts.models import Membership, Organization, Role

HOME_ROLES = (Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.SCHOOL_ADMIN)
TEAM_ROLES = (Role.STUDENT, Role.TEACHER)  # form teams and bid
PUBLISH_ROLES = (Role.ENTERPRISE,)
MODERATE_ROLES = (Role.SCHOOL_ADMIN,)
TOPIC_ROLES = (Role.TEACHER, Role.ENTERPRISE)  # propose graduation topics, tutor them
ORDER_CLASS_CREATE_ROLES = (Role.ENTERPRISE, Role.SCHOOL_ADMIN)


def enterprise_ids_for_user(user) -> list[int]:
    """The enterprise organisations the user works for (empty for other roles)."""
    if getattr(user, "role", None) != Role.ENTERPRISE:
        return []
    cache = getattr(user, "_projects_enterprise_ids", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user, organization__kind=Organization.Kind.ENTERPRISE)
                     .values_list("organization_id", flat=True))
        user._projects_enterprise_ids = cache
    return cache


def is_enterprise_member(user, enterprise_id: int | None) -> bool:
    return enterprise_id is not None and enterprise_id in enterprise_ids_for_user(user)


def can_moderate(user) -> bool:
    return getattr(user, "role", None) in MODERATE_ROLES


def can_publish(user) -> bool:
    return bool(enterprise_ids_for_user(user))
