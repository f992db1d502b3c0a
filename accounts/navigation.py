"""Role-aware navigation. Each app declares its menu in `<app>/navigation.py` as
NAV_ITEMS; the page shell shows the items whose roles include the user's. Items that
share a `group` collapse into one dropdown (placed where its first item would be), so
the bar stays short as apps add pages; a group with a single visible item is a plain link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[str, ...]
    icon: str = "circle"
    order: int = 100
    group: str | Promise | None = None
    group_icon: str = "three-dots"
    # A count shown beside the label (e.g. items waiting for the user): function(user) -> int,
    # evaluated lazily when the bar is drawn.
    badge: Callable | None = None


def project_app_attribute(module: str, attribute: str) -> list:
    """Concatenate `attribute` from `<app>.<module>` of every project app that has one:
    how an app contributes to a shared screen (the menu, the student's home) without the
    lower apps importing it."""
    from django.conf import settings

    found: list = []
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue
        try:
            found.extend(getattr(import_module(f"{config.name}.{module}"), attribute, []))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{module}":
                raise  # a broken import inside the module must not pass silently
    return found


def _all_items() -> list[NavItem]:
    return sorted(project_app_attribute("navigation", "NAV_ITEMS"), key=lambda item: item.order)


def navigation_for_user(user, *, current_path: str = "") -> list[dict]:
    """Entries for the bar, in order: links (`label`, `url`, `icon`, `active`) and groups
    (`label`, `icon`, `active`, `children`: links)."""
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for item in _all_items():
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url or (url != "/" and current_path.startswith(url))
        link = {"label": item.label, "url": url, "icon": item.icon, "active": active,
                "badge": partial(item.badge, user) if item.badge else None}
        if item.group is None:
            entries.append(link)
            continue
        key = str(item.group)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {"label": item.group, "icon": item.group_icon, "active": False, "children": []}
            entries.append(group)
        group["children"].append(link)
        group["active"] = group["active"] or active
    # A group with one visible item is just that item.
    return [entry["children"][0] if len(entry.get("children", ())) == 1 else entry for entry in entries]
