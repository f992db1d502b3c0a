"""API of the points ledger: the student's own entries."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination

from ..profiles.selectors import student_profile_for_user
from ..rankings.selectors import current_tier
from . import selectors


class MyPointsApi(APIView):
    """The student's ledger, paginated, with their total and tier beside the page."""

    permission_classes = [HasRole.of(Role.STUDENT)]
    pagination_class = StandardPagination  # documents the list as paginated

    class EntrySerializer(serializers.Serializer):
        id = serializers.IntegerField()
        source = serializers.CharField()
        amount = serializers.IntegerField()
        reason = serializers.CharField(source="reason_text")  # in the reader's language
        competency = serializers.CharField(source="competency.code", default=None)
        term = serializers.CharField(source="term.code", default=None)
        reverses = serializers.IntegerField(source="reverses_id", default=None)
        created_at = serializers.DateTimeField()

    @extend_schema(responses=EntrySerializer(many=True))
    def get(self, request):
        student = student_profile_for_user(user=request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.points_entries_for_student(student=student), request, view=self)
        response = paginator.get_paginated_response(self.EntrySerializer(page, many=True).data)
        tier = current_tier(student=student)
        response.data["total"] = selectors.points_total_for_student(student=student)
        response.data["tier"] = tier.tier
        return response
