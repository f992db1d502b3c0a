"""The one domain error type. Services raise it; pages show it as a message and
the API returns it as a 4xx JSON body (see platform_site.api.exception_handler)."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, status_code: int | None = None, extra: Any = None):
        super().__init__(message)
        self.message = message
        self.extra = extra
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code


class NotPermitted(ApplicationError):
    status_code = 403
    code = "permission_denied"
