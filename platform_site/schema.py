"""OpenAPI schema generation."""

from drf_spectacular.openapi import AutoSchema as _SpectacularAutoSchema


class AutoSchema(_SpectacularAutoSchema):
    """Name nested `InputSerializer`/`OutputSerializer` classes after their view
    (MeApi.OutputSerializer -> MeOutput), so the Styleguide pattern yields unique
    schema components."""

    def get_serializer_name(self, serializer, direction) -> str:
        cls = serializer.__class__
        outer, _, inner = cls.__qualname__.rpartition(".")
        if outer and inner.endswith("Serializer"):
            prefix = outer.split(".")[-1].removesuffix("Api")
            return f"{prefix}{inner.removesuffix('Serializer')}"
        return super().get_serializer_name(serializer, direction)
