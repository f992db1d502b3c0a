"""Request hardening shared by every app: body size limits, NUL bytes, Content-Security-Policy.

These run as middleware so that no view has to remember them:

* ``RequestBodyLimitMiddleware`` refuses a body larger than the limit of its URL
  (``REQUEST_BODY_LIMITS``, else ``REQUEST_BODY_DEFAULT_LIMIT``) from the
  ``Content-Length`` header alone, before Django reads a byte of it (413). The
  proxy and gunicorn refuse earlier still (``deploy/``); this is the last line.
* ``NulByteMiddleware`` refuses a NUL character anywhere input enters — the path,
  query string, form fields, uploaded file names, JSON bodies, cookies and headers —
  with a 400 that says why. PostgreSQL cannot store NUL in text, so without this
  a stray ``%00`` became a 500 on about fifteen endpoints.
* ``ContentSecurityPolicyMiddleware`` sets one policy for every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

# `\u0000` in a JSON string, not preceded by an escaping backslash.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _rejection(request: HttpRequest, *, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from platform_site.api import error_body

        return JsonResponse(error_body(status_code=status, code=code, message=message), status=status)
    title = escape(_("Request refused"))
    body = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body><h1>{title}</h1><p id="request-refused" data-code="{code}">{escape(message)}</p></body></html>'
    )
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def body_limit_for_path(path: str) -> int:
    for pattern, limit in settings.REQUEST_BODY_LIMITS:
        if re.match(pattern, path):
            return limit
    return settings.REQUEST_BODY_DEFAULT_LIMIT


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _rejection(request, status=400, code="bad_content_length",
                              message=_("The Content-Length header is not a number."))
        limit = body_limit_for_path(request.path_info)
        if length > limit:
            # Do not read the body; close the connection so that the client stops sending it.
            response = _rejection(
                request, status=413, code="request_too_large",
                message=_("The request is larger than %(limit)s MB.") % {"limit": _megabytes(limit)},
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 1 else f"{value:.1f}"


def _has_nul(values: Iterable[str]) -> bool:
    return any("\x00" in value for value in values)


def request_has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info or "\x00" in request.path:
        return True
    if _has_nul(request.GET.keys()) or _has_nul(v for values in request.GET.lists() for v in values[1]):
        return True
    if _has_nul(request.COOKIES.keys()) or _has_nul(request.COOKIES.values()):
        return True
    if _has_nul(str(value) for key, value in request.META.items() if key.startswith("HTTP_")):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type in _FORM_TYPES:
        if _has_nul(request.POST.keys()) or _has_nul(v for values in request.POST.lists() for v in values[1]):
            return True
        return _has_nul(f.name or "" for files in request.FILES.lists() for f in files[1])
    body = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
    return b"\x00" in body or bool(_JSON_NUL.search(body))


class NulByteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request_has_nul(request):
            return _rejection(request, status=400, code="nul_character",
                              message=_("The request contains a NUL character, which is not allowed."))
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(f"{key} {value}".strip() for key, value in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
