"""Login throttling per client address, beside django-axes' per-(username, address) lockout.

django-axes locks a username only for the address that failed (so nobody can lock
someone else's account from elsewhere); this counts every failed login of one
address, whatever the username, so that spraying one password over many
predictable usernames stops after LOGIN_IP_FAILURE_LIMIT failures for
LOGIN_IP_WINDOW_MINUTES. The limit is far above axes' per-account one because a
whole campus shares a few NAT addresses.

A throttled attempt is refused before any password is checked and is flagged on
the request like an axes lockout, so the login page shows the lockout page (429)
and the token API answers 429 (accounts.api.TokenApi).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver


def _client_address(request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def _key(address: str) -> str:
    return f"login-failures:{address}"


def login_failures_for_address(address: str) -> int:
    return int(cache.get(_key(address)) or 0)


def address_is_throttled(request) -> bool:
    return login_failures_for_address(_client_address(request)) >= settings.LOGIN_IP_FAILURE_LIMIT


class LoginThrottleBackend:
    """First in AUTHENTICATION_BACKENDS: refuses every login from a throttled address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and address_is_throttled(request):
            request.login_throttled = True
            request.axes_locked_out = True  # the lockout page / 429, like an axes lockout
            raise PermissionDenied
        return None

    # No get_user(): this backend never logs anyone in (and the test client's
    # force_login picks the first backend that has one).


@receiver(user_login_failed, dispatch_uid="accounts.login_throttle.count_failure")
def count_failure(sender, credentials=None, request=None, **kwargs) -> None:
    if request is None or getattr(request, "login_throttled", False):
        return
    key = _key(_client_address(request))
    cache.add(key, 0, timeout=settings.LOGIN_IP_WINDOW_MINUTES * 60)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_IP_WINDOW_MINUTES * 60)
