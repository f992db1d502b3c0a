"""Dashboard API: the year's figures and the construction plan's targets.
Errors are `{"error": {status, code, message, fields?}}` (platform_site.api)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRole
from platform_site.openapi import error_responses

from . import selectors
from .permissions import DASHBOARD_ROLES, HOME_ROLES, dashboard_scope_check

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="calendar year (default: this year)")
MAJOR = OpenApiParameter("major", OpenApiTypes.STR, description="major code (default: the whole school)")
CLASS = OpenApiParameter("class", OpenApiTypes.INT, description="class id (a head teacher must give their class)")


class DashboardKpisApi(APIView):
    """Every KPI of the registry (accounts/dashboard.py) for a year and optionally a major or a class.
    Rates are 0..1 and null without a denominator; keys are the KPI codes (apps add theirs)."""

    permission_classes = [HasRole.of(*DASHBOARD_ROLES)]

    @extend_schema(
        parameters=[YEAR, MAJOR, CLASS],
        responses={200: OpenApiResponse(
            inline_serializer("DashboardKpis", fields={
                "year": serializers.IntegerField(), "major": serializers.CharField(allow_null=True),
                "class": serializers.IntegerField(allow_null=True),
                "students": serializers.FloatField(allow_null=True),
                "graduates": serializers.FloatField(allow_null=True, required=False),
                "employment_rate": serializers.FloatField(allow_null=True, required=False),
                "counterpart_rate": serializers.FloatField(allow_null=True, required=False),
                "entrepreneurship_rate": serializers.FloatField(allow_null=True, required=False),
                "internship_rate": serializers.FloatField(allow_null=True, required=False),
                "enterprise_satisfaction": serializers.FloatField(allow_null=True, required=False),
            }),
            description="`{code: value}` of every KPI, plus year, major and class."),
            **error_responses(400, 401, 403)},
    )
    def get(self, request):
        scope = selectors.scope_from_params(request.query_params)
        dashboard_scope_check(request.user, scope)
        values = selectors.kpi_values(scope)
        if request.user.role != "school_admin":
            from accounts.dashboard import kpi_registry

            values = {code: v for code, v in values.items() if not kpi_registry()[code].school_wide_only}
        return Response({"year": scope.year, "major": scope.major_code, "class": scope.class_id, **values})


class TargetOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    target = serializers.FloatField()
    actual = serializers.FloatField(allow_null=True)
    unit = serializers.ChoiceField(choices=["count", "rate"])
    status = serializers.ChoiceField(choices=["met", "on_track", "behind", "no_data"])


class DashboardTargetsApi(APIView):
    """The construction plan's targets of a year with their actuals (school-wide) and status."""

    permission_classes = [HasRole.of(*HOME_ROLES)]

    @extend_schema(parameters=[YEAR], responses={200: TargetOutputSerializer(many=True),
                                                 **error_responses(400, 401, 403)})
    def get(self, request):
        scope = selectors.scope_from_params({"year": request.query_params.get("year", "")})
        lines = selectors.targets_for_year(scope.year)
        return Response(TargetOutputSerializer(lines, many=True).data)
