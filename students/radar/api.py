"""API of the radar: a student's radar (data and chart files) and a class's summary."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRole

from ..permissions import CLASS_RADAR_ROLES, RADAR_VIEWER_ROLES
from ..profiles import selectors
from . import charts
from .selectors import class_radar_summary, radar_for_student
from .views import file_or_pending, student_chart


class AxisSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    attainment = serializers.FloatField(min_value=0, max_value=1)


def _axes(axes) -> list[dict]:
    return [{"code": a.code, "name": a.name, "attainment": round(a.attainment, 6)} for a in axes]


class RadarApi(APIView):
    """A student's radar: attainment (0..1) per competency of their major, the radar's
    area, and the cohort (same major and intake year) average. A stable public shape."""

    permission_classes = [HasRole.of(*RADAR_VIEWER_ROLES)]

    class OutputSerializer(serializers.Serializer):
        student_number = serializers.CharField()
        competencies = AxisSerializer(many=True)
        area = serializers.FloatField()
        cohort_average = AxisSerializer(many=True, help_text="Same order and codes as competencies.")

    @extend_schema(responses=OutputSerializer)
    def get(self, request, student_number: str):
        student = selectors.student_get_for_user(user=request.user, student_number=student_number)
        radar = radar_for_student(student=student)
        return Response({
            "student_number": student.student_number,
            "competencies": _axes(radar.axes),
            "area": round(radar.area, 6),
            "cohort_average": _axes(radar.cohort_average),
        })


class RadarImageApi(APIView):
    """The radar (kind=radar) or growth (kind=growth) chart as PNG or SVG; 202 with
    Retry-After while a worker renders it."""

    permission_classes = [HasRole.of(*RADAR_VIEWER_ROLES)]

    @extend_schema(responses={200: OpenApiResponse(description="image/png or image/svg+xml"),
                              202: OpenApiResponse(description="being rendered; retry")})
    def get(self, request, student_number: str, kind: str, fmt: str):
        if kind not in charts.KINDS or fmt not in charts.FORMATS:
            raise Http404
        student = selectors.student_get_for_user(user=request.user, student_number=student_number)
        _data, status = student_chart(student, kind)
        if not status.ready:
            return Response({"status": "pending"}, status=202, headers={"Retry-After": "1"})
        return file_or_pending(status, fmt)


class ClassRadarApi(APIView):
    """A class's average radar and the distribution of each competency over its students."""

    permission_classes = [HasRole.of(*CLASS_RADAR_ROLES)]

    class RowSerializer(serializers.Serializer):
        code = serializers.CharField()
        name = serializers.CharField()
        mean = serializers.FloatField()
        cohort = serializers.FloatField()
        minimum = serializers.FloatField()
        p25 = serializers.FloatField()
        median = serializers.FloatField()
        p75 = serializers.FloatField()
        maximum = serializers.FloatField()

    class OutputSerializer(serializers.Serializer):
        class_code = serializers.CharField()
        students = serializers.IntegerField()
        area = serializers.FloatField()
        competencies = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request, class_id: int):
        school_class = selectors.school_class_get_for_user(user=request.user, class_id=class_id)
        summary = class_radar_summary(school_class=school_class)
        return Response({
            "class_code": school_class.code,
            "students": len(summary.students),
            "area": round(summary.area, 6),
            "competencies": self.RowSerializer(summary.rows, many=True).data,
        })
