"""API conventions shared by every app: error bodies, pagination, JSON error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, status
from rest_framework import serializers as drf_serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.errors import ApplicationError


def error_body(*, status_code: int, code: str, message: str, fields: Any = None) -> dict:
    """Every API error, whatever raised it, has this one shape."""
    body: dict[str, Any] = {"error": {"status": status_code, "code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return body


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(
            error_body(status_code=exc.status_code, code=exc.code, message=str(exc.message), fields=exc.extra),
            status=exc.status_code,
        )
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else None
        exc = exceptions.ValidationError(detail=fields or exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        message = _("The submitted data is invalid.")
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        code = "invalid"
    else:
        message = str(detail.get("detail", "")) if isinstance(detail, dict) else str(detail)
        fields = None
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            if isinstance(codes, str):
                code = codes
    response.data = error_body(status_code=response.status_code, code=code, message=message, fields=fields)
    return response


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def json_or_page_404(request, exception=None):
    if _wants_json(request):
        return JsonResponse(error_body(status_code=404, code="not_found", message=_("Not found.")), status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def json_or_page_403(request, exception=None):
    if _wants_json(request):
        return JsonResponse(
            error_body(status_code=403, code="permission_denied", message=_("You do not have permission.")),
            status=403,
        )
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)


def json_or_page_400(request, exception=None):
    if _wants_json(request):
        return JsonResponse(error_body(status_code=400, code="bad_request", message=_("Bad request.")), status=400)
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def json_or_page_500(request):
    if _wants_json(request):
        return JsonResponse(
            error_body(status_code=status.HTTP_500_INTERNAL_SERVER_ERROR, code="server_error", message=_("Server error.")),
            status=500,
        )
    from django.views.defaults import server_error

    return server_error(request)



class ApiRootView(APIView):
    """``/api/v1/``: where to start. Public, like the schema it points to."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="API root",
        responses={200: inline_serializer("ApiRoot", {
            "version": drf_serializers.CharField(), "schema": drf_serializers.URLField(),
            "docs": drf_serializers.URLField(), "token": drf_serializers.URLField(), "me": drf_serializers.URLField(),
        })},
    )
    def get(self, request):
        return Response({
            "version": settings.SPECTACULAR_SETTINGS["VERSION"],
            "schema": request.build_absolute_uri(reverse("api-schema")),
            "docs": request.build_absolute_uri(reverse("api-docs")),
            "token": request.build_absolute_uri(reverse("api:accounts-token")),
            "me": request.build_absolute_uri(reverse("api:accounts-me")),
        })
