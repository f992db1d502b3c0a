"""Context for the page shell: role-aware navigation and the unread badge."""

from __future__ import annotations

from accounts.navigation import navigation_for_user
from accounts.selectors import notification_unread_count


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": navigation_for_user(user, current_path=request.path),
        # Lazy: evaluated only if the template asks for it, once per render.
        "unread_notifications": lambda: notification_unread_count(user=user),
    }
