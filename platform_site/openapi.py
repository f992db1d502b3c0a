"""Pieces of the OpenAPI description shared by every app's api.py: the error body
(platform_site.api.error_body) and the standard error responses to document."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.JSONField(required=False, help_text="Per-field messages of a 400.")


class ErrorSerializer(serializers.Serializer):
    """{"error": {"status", "code", "message", "fields"?}} — every 4xx and 5xx of the API."""

    error = ErrorDetailSerializer()


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """{status: the error body} for extend_schema(responses=...)."""
    descriptions = {
        400: "Invalid input (see error.fields).",
        401: "Not authenticated.",
        403: "Not permitted for this user.",
        404: "Not found (or not visible to this user).",
        409: "Conflicts with the current state.",
        413: "Request body too large.",
        429: "Too many attempts; locked for a while.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=descriptions.get(code, "")) for code in codes}


__all__ = ["ErrorSerializer", "error_responses", "inline_serializer"]
