"""API of the rankings."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import HasRole

from .. import permissions as perms
from ..profiles.selectors import student_profile_for_user
from . import selectors as rankings


class RankingEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    student_number = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(
        allow_null=True,
        help_text="Points, or the competency's attainment (0..1). For a competency, null unless the reader may see "
                  "this student's radar (their own; a teacher's classes; school administrators).")
    percentile = serializers.FloatField()


class OwnPositionSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    value = serializers.FloatField()
    percentile = serializers.FloatField()
    population = serializers.IntegerField()
    tier = serializers.CharField()


class RankingPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    scope = serializers.CharField()
    group = serializers.CharField()
    value = serializers.CharField(help_text="points, or the competency code")
    refreshed_at = serializers.DateTimeField(allow_null=True)
    results = RankingEntrySerializer(many=True)
    own = OwnPositionSerializer(required=False, help_text="Students only: their own position.")


class RankingListApi(APIView):
    """`GET /api/v1/rankings/?scope=school|major|cohort|class&competency=<code>` — paginated
    (`page`, `page_size` up to 200). Without competency the value is points. Students
    get their own major/cohort/class and an `own` position; staff name the group
    (`major=<code>`, `cohort=<year>`, `class=<code>`; teachers only classes they teach)."""

    permission_classes = [HasRole.of(*perms.RANKING_ROLES)]

    class InputSerializer(serializers.Serializer):
        scope = serializers.ChoiceField(choices=rankings.SCOPES, default="school")
        competency = serializers.CharField(required=False, allow_blank=True, max_length=50)
        major = serializers.CharField(required=False, allow_blank=True, max_length=50)
        cohort = serializers.IntegerField(required=False, min_value=1900, max_value=2200)
        page = serializers.IntegerField(min_value=1, default=1)
        page_size = serializers.IntegerField(min_value=1, max_value=200, default=50)

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, enum=list(rankings.SCOPES)),
            OpenApiParameter("competency", str), OpenApiParameter("major", str),
            OpenApiParameter("cohort", {"type": "integer", "minimum": 1900, "maximum": 2200}),
            OpenApiParameter("class", str),
            OpenApiParameter("page", {"type": "integer", "minimum": 1}),
            OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 200}),
        ],
        responses=RankingPageSerializer,
    )
    def get(self, request):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        group = rankings.ranking_group_for(user=request.user, scope=data["scope"], params=request.query_params)
        competency = rankings.resolve_competency(data.get("competency"), group_major_id=group.major_id)
        page = rankings.ranking_page_for_user(user=request.user, group=group, competency=competency,
                                              page=data["page"], page_size=data["page_size"])
        body = {
            "count": page.count,
            "page": page.page,
            "num_pages": page.num_pages,
            "scope": group.scope,
            "group": group.label,
            "value": competency.code if competency else "points",
            # When the rank table was computed (null: computed live before the first refresh).
            "refreshed_at": page.refreshed_at.isoformat() if page.refreshed_at else None,
            "results": RankingEntrySerializer(page.entries, many=True).data,
        }
        if request.user.role == Role.STUDENT:
            own = rankings.own_position(group=group, student=student_profile_for_user(user=request.user),
                                        competency=competency)
            body["own"] = {"rank": own.rank, "value": own.value, "percentile": own.percentile,
                           "population": own.population, "tier": own.tier}
        return Response(body)
