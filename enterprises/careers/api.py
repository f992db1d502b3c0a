"""REST API of careers after graduation and demand vs supply (docs/careers.md#api)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import ApplicationError
from accounts.permissions import HasRole
from platform_site.openapi import error_responses
from platform_site.pagination import StandardPagination
from students.models import StudentProfile
from teachers.gradebook_io import MAX_IMPORT_BYTES
from teachers.models import Major

from .. import selectors as market_selectors
from . import permissions as perms
from . import selectors, services
from .imports import destinations_import
from .models import SurveyRound


class DestinationOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student_number = serializers.CharField(source="student.student_number")
    graduation_year = serializers.IntegerField()
    round = serializers.CharField(source="survey_round.kind")
    category = serializers.CharField()
    employer = serializers.CharField(source="employer_name")
    position = serializers.CharField()
    job_family = serializers.CharField()
    counterpart = serializers.BooleanField(allow_null=True)
    salary_band = serializers.CharField()
    city = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    source = serializers.CharField()


class DestinationListApi(APIView):
    """Destinations: school administrators read every graduate's, a graduate only their own."""

    permission_classes = [HasRole.of(*perms.DESTINATION_READER_ROLES)]
    pagination_class = StandardPagination

    @extend_schema(operation_id="careers_destinations_list",
                   parameters=[OpenApiParameter("graduation_year", int), OpenApiParameter("round", str,
                                                                                         enum=SurveyRound.Kind.values)],
                   responses={200: DestinationOutSerializer(many=True), **error_responses(400, 403, 404)})
    def get(self, request):
        class Params(serializers.Serializer):
            graduation_year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
            round = serializers.ChoiceField(choices=SurveyRound.Kind.values, required=False)

        params = Params(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = selectors.destinations_for_user(user=request.user,
                                             graduation_year=params.validated_data.get("graduation_year"))
        if "round" in params.validated_data:
            qs = qs.filter(survey_round__kind=params.validated_data["round"])
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DestinationOutSerializer(page, many=True).data)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    student_number = serializers.CharField()
    reason = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    applied = serializers.IntegerField()


class DestinationImportApi(APIView):
    """A school administrator imports destinations from CSV or XLSX (multipart `file`).
    Every row is validated; one bad row and nothing is applied: 400 with `fields.rows`
    listing each problem (row, student number, reason)."""

    permission_classes = [HasRole.of(*perms.CAREERS_ADMIN_ROLES)]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

    @extend_schema(operation_id="careers_destinations_import", request={"multipart/form-data": InputSerializer},
                   responses={200: ImportResultSerializer, **error_responses(400, 403, 413)})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ApplicationError(_("The file is larger than 10 MB."), code="file_too_large")
        report = destinations_import(actor=request.user, upload_name=upload.name or "", data=upload.read())
        if not report.ok:
            raise ApplicationError(
                _("Nothing was imported: %(n)d row(s) have problems. Fix them and import the file again.")
                % {"n": report.error_count}, code="import_rows",
                extra={"rows": ImportErrorSerializer(report.errors, many=True).data,
                       "not_listed": report.errors_not_listed})
        return Response(ImportResultSerializer({"rows": report.rows, "applied": report.applied}).data)


class FeedbackOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization = serializers.CharField(source="organization.name")
    student_number = serializers.CharField(source="student.student_number")
    round = serializers.IntegerField(source="survey_round_id")
    kind = serializers.CharField()
    year = serializers.IntegerField()
    comment = serializers.CharField()
    ratings = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_ratings(self, obj) -> dict[str, int]:
        return {r.competency.code: r.rating for r in obj.ratings.all()}


class FeedbackApi(APIView):
    """Employer feedback. GET: an enterprise's staff read their organisation's, teachers
    and school administrators all. POST: an enterprise rates one intern or graduate it
    hosts or employs on every competency of the major (1–5), once per round (409 after)."""

    permission_classes = [HasRole.of(*perms.FEEDBACK_READER_ROLES)]
    pagination_class = StandardPagination

    class InputSerializer(serializers.Serializer):
        student_number = serializers.CharField(max_length=20)
        round = serializers.IntegerField(help_text="survey round id (GET /api/careers/feedback/ shows them)")
        ratings = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=5),
                                        help_text="competency code → 1..5, every competency of the major")
        comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def _organization_id(self, request) -> int | None:
        organization = market_selectors.organization_for_user(user=request.user)
        return organization.pk if organization else None

    @extend_schema(operation_id="careers_feedback_list", responses={200: FeedbackOutSerializer(many=True), **error_responses(400, 403, 404)})
    def get(self, request):
        qs = selectors.feedback_for_user(user=request.user, organization_id=self._organization_id(request))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(FeedbackOutSerializer(page, many=True).data)

    @extend_schema(operation_id="careers_feedback_create", request=InputSerializer,
                   responses={201: FeedbackOutSerializer, **error_responses(400, 403, 404, 409)})
    def post(self, request):
        if request.user.role not in perms.FEEDBACK_ROLES:
            raise PermissionDenied(_("Only enterprises give employer feedback."))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization_id = self._organization_id(request)
        if organization_id is None:
            raise PermissionDenied(_("You are not a member of an enterprise or an industry association."))
        student = get_object_or_404(StudentProfile, student_number=data.validated_data["student_number"])
        survey_round = get_object_or_404(SurveyRound, pk=data.validated_data["round"])
        feedback = services.feedback_submit(actor=request.user, organization_id=organization_id, student=student,
                                            survey_round=survey_round, ratings=data.validated_data["ratings"],
                                            comment=data.validated_data["comment"])
        feedback = selectors.feedback_for_user(user=request.user, organization_id=organization_id).get(pk=feedback.pk)
        return Response(FeedbackOutSerializer(feedback).data, status=status.HTTP_201_CREATED)


class DemandSupplyRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    headcount = serializers.IntegerField()
    share = serializers.FloatField()
    level = serializers.FloatField(allow_null=True, help_text="headcount-weighted demanded attainment 0..1")
    mean = serializers.FloatField(allow_null=True, help_text="the cohort's mean attainment 0..1")
    meeting_share = serializers.FloatField(allow_null=True)
    bins = serializers.ListField(child=serializers.IntegerField(), help_text="students per 0.2-wide bucket")
    gap = serializers.FloatField(allow_null=True)
    feedback = serializers.FloatField(allow_null=True, help_text="mean employer rating 1..5")
    feedback_count = serializers.IntegerField()


class DemandSupplySerializer(serializers.Serializer):
    major = serializers.CharField(source="major.code")
    year = serializers.IntegerField()
    intake_year = serializers.IntegerField()
    students = serializers.IntegerField()
    headcount = serializers.IntegerField()
    rows = DemandSupplyRowSerializer(many=True)
    largest_gaps = serializers.ListField(child=serializers.CharField())
    trend = serializers.DictField()


class DemandSupplyApi(APIView):
    """Demand vs supply of a major in a year (teachers and school administrators)."""

    permission_classes = [HasRole.of(*perms.DEMAND_SUPPLY_ROLES)]

    class Params(serializers.Serializer):
        major = serializers.SlugRelatedField(slug_field="code", queryset=Major.objects.all())
        year = serializers.IntegerField(min_value=1990, max_value=2100)
        intake_year = serializers.IntegerField(min_value=1990, max_value=2100, required=False)

    @extend_schema(operation_id="careers_demand_supply", parameters=[Params],
                   responses={200: DemandSupplySerializer, **error_responses(400, 403)})
    def get(self, request):
        from ..demand_supply import demand_supply

        params = self.Params(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = demand_supply(major=params.validated_data["major"], year=params.validated_data["year"],
                               intake_year=params.validated_data.get("intake_year"))
        payload = DemandSupplySerializer({
            "major": result.major, "year": result.year, "intake_year": result.intake_year,
            "students": result.students, "headcount": result.headcount,
            "rows": [{**r.__dict__, "name": str(r.name), "bins": list(r.bins), "gap": r.gap} for r in result.rows],
            "largest_gaps": [r.code for r in result.largest_gaps], "trend": result.trend}).data
        return Response(payload)
