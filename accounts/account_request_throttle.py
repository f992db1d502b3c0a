"""Account requests per client address (the pattern of accounts/login_throttle.py).

The request form is open to anyone, so one address may send at most
ACCOUNT_REQUEST_IP_LIMIT requests (each valid submission counts, whether it created
a request or not) in ACCOUNT_REQUEST_IP_WINDOW_MINUTES; past that the page answers 429.
Both settings are optional (defaults below)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .login_throttle import _client_address

DEFAULT_LIMIT = 5
DEFAULT_WINDOW_MINUTES = 60


def _limit() -> int:
    return int(getattr(settings, "ACCOUNT_REQUEST_IP_LIMIT", DEFAULT_LIMIT))


def _window_seconds() -> int:
    return int(getattr(settings, "ACCOUNT_REQUEST_IP_WINDOW_MINUTES", DEFAULT_WINDOW_MINUTES)) * 60


def _key(address: str) -> str:
    return f"account-requests:{address}"


def account_request_is_throttled(request) -> bool:
    return int(cache.get(_key(_client_address(request))) or 0) >= _limit()


def account_request_count(request) -> None:
    key = _key(_client_address(request))
    cache.add(key, 0, timeout=_window_seconds())
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window_seconds())
