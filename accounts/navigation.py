"""Role-aware navigation. Each app declares its menu in `<app>/navigation.py` as
NAV_ITEMS; the page shell shows the items whose roles include the user's."""

from __future__ import annotations

from dataclasses import dataclass
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


def _all_items() -> list[NavItem]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.path.startswith(str(_project_root())):
            continue
        try:
            module = import_module(f"{config.name}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "NAV_ITEMS", []))
    return sorted(items, key=lambda item: item.order)


def _project_root():
    from django.conf import settings

    return settings.BASE_DIR


def navigation_for_user(user, *, current_path: str = "") -> list[dict]:
    entries = []
    for item in _all_items():
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url or (url != "/" and current_path.startswith(url))
        entries.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return entries
