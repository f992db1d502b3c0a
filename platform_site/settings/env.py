"""The one place that reads the process environment.

Every setting that can come from the environment goes through these helpers, so
a missing production secret fails fast with ImproperlyConfigured instead of
silently falling back to an insecure default.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_NOTSET: Any = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: Any = _NOTSET) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _NOTSET:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}.")


def env_int(name: str, default: Any = _NOTSET) -> int:
    raw = env_str(name, default=None)
    if raw is None:
        if default is _NOTSET:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from exc


def env_list(name: str, default: Any = _NOTSET) -> list[str]:
    raw = env_str(name, default=None)
    if raw is None:
        if default is _NOTSET:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]
