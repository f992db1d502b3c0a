"""API of the employment outlook (the pages' twins): a student's own outlook, the
school admin's list of active models and the retraining request."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination

from .. import permissions as perms
from ..profiles.selectors import student_profile_for_user
from . import selectors


class FamilySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    probability = serializers.FloatField()


class SimilarAlumnusSerializer(serializers.Serializer):
    code = serializers.CharField()
    graduation_year = serializers.IntegerField()
    employed = serializers.BooleanField()
    salary_band = serializers.CharField()
    job_family = serializers.CharField()


class ImprovementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    gain_points = serializers.FloatField(help_text="Change of P(employed), in percentage points.")
    current_percent = serializers.IntegerField()
    improved_percent = serializers.IntegerField()


class MyOutlookApi(APIView):
    """The signed-in student's outlook: P(employed), job families, the most similar
    alumni and the competencies whose improvement helps most. `available` is false
    while no model is trained for their major."""

    permission_classes = [HasRole.of(*perms.OUTLOOK_ROLES)]

    class OutputSerializer(serializers.Serializer):
        available = serializers.BooleanField()
        employed = serializers.FloatField(allow_null=True)
        families = FamilySerializer(many=True)
        similar = SimilarAlumnusSerializer(many=True)
        improvements = ImprovementSerializer(many=True)
        projected = serializers.BooleanField(help_text="Projected to graduation from the credits completed.")
        progress = serializers.FloatField()
        demo_alumni = serializers.BooleanField(help_text="The model learned from generated (demo) alumni.")
        metrics = serializers.DictField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        outlook = selectors.outlook_for_student(student=student_profile_for_user(user=request.user))
        if outlook is None:
            body = {"available": False, "employed": None, "families": [], "similar": [], "improvements": [],
                    "projected": False, "progress": 0.0, "demo_alumni": False, "metrics": {}}
        else:
            body = {"available": True, "employed": outlook.employed, "families": outlook.families,
                    "similar": outlook.similar, "improvements": outlook.improvements,
                    "projected": outlook.projected, "progress": outlook.progress,
                    "demo_alumni": outlook.demo_alumni, "metrics": outlook.metrics}
        return Response(self.OutputSerializer(body).data)


class OutlookModelListApi(APIView):
    """The active model of each major with its evaluation figures (school admins)."""

    permission_classes = [HasRole.of(*perms.OUTLOOK_ADMIN_ROLES)]
    pagination_class = StandardPagination

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        major = serializers.CharField(source="major.code")
        trained_at = serializers.DateTimeField()
        features = serializers.ListField(child=serializers.CharField())
        metrics = serializers.DictField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.outlook_models_active(), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class OutlookRetrainApi(APIView):
    """Queue retraining of every major's model; the figures change when a worker is done."""

    permission_classes = [HasRole.of(*perms.OUTLOOK_ADMIN_ROLES)]

    @extend_schema(request=None, responses={202: inline_serializer("OutlookRetrainQueued", {
        "status": serializers.CharField()})})
    def post(self, request):
        from .tasks import outlook_train_task

        transaction.on_commit(outlook_train_task.delay)
        return Response({"status": "queued"}, status=status.HTTP_202_ACCEPTED)
