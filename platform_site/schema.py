"""OpenAPI schema generation."""

from __future__ import annotations

import re

from drf_spectacular.openapi import AutoSchema as _SpectacularAutoSchema
from rest_framework.permissions import AllowAny


class AutoSchema(_SpectacularAutoSchema):
    """Name nested `InputSerializer`/`OutputSerializer` classes after their view
    (MeApi.OutputSerializer -> MeOutput), so the Styleguide pattern yields unique
    schema components; and document the error responses every endpoint can give
    (platform_site.api.error_body), so that a client — or schemathesis — finds each
    status it can receive in the description."""

    def get_serializer_name(self, serializer, direction) -> str:
        cls = serializer.__class__
        outer, _, inner = cls.__qualname__.rpartition(".")
        if outer and inner.endswith("Serializer"):
            prefix = outer.split(".")[-1].removesuffix("Api")
            return f"{prefix}{inner.removesuffix('Serializer')}"
        return super().get_serializer_name(serializer, direction)

    def _error_codes(self) -> list[int]:
        # 400: invalid input — and any request with a NUL character (platform_site.security).
        codes = [400]
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += [401, 403]
        # 404: an object named in the path, or a page past the end of a list.
        if re.search(r"\{\w+\}", self.path) or self._is_list_view():
            codes.append(404)
        if self.method in ("POST", "PUT", "PATCH"):
            codes += [413, 415]  # body over the limit; a content type the endpoint does not parse
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        from .openapi import ErrorSerializer

        for code in self._error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(ErrorSerializer, str(code), direction=direction)
        return responses
