"""REST API for the experiment guides, lab assignments and lab reports."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination

from . import selectors, services
from .guides import GUIDE_CHOICES, GUIDES, guide_get
from .permissions import ATTACH_ROLES, GRADE_ROLES, GUIDE_ROLES

ERRORS = {400: OpenApiResponse(description="invalid input: {\"error\": {...}} (e.g. not a PDF, damaged, too large)"),
          403: OpenApiResponse(description="not allowed for this role or this offering"),
          404: OpenApiResponse(description="no such assignment or report for this user"),
          409: OpenApiResponse(description="already attached / past the due date / report already graded")}


class GuideOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    hours = serializers.IntegerField()
    url = serializers.CharField(help_text="the guide's page")


class AssignmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    guide = serializers.CharField()
    guide_title = serializers.SerializerMethodField()
    offering = serializers.IntegerField(source="offering_id")
    course = serializers.CharField(source="offering.course.name")
    school_class = serializers.CharField(source="offering.school_class.name")
    term = serializers.CharField(source="offering.term.code")
    component = serializers.CharField(source="component.code")
    component_name = serializers.CharField(source="component.name")
    instructions = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    report_count = serializers.IntegerField()
    graded_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def get_guide_title(self, obj) -> str:
        guide = guide_get(obj.guide)
        return str(guide.title) if guide else obj.guide


class ReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    student = serializers.CharField(source="student.username")
    original_name = serializers.CharField()
    size_bytes = serializers.IntegerField()
    pages = serializers.IntegerField()
    status = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    feedback = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    graded_at = serializers.DateTimeField(allow_null=True)


class GuideListApi(APIView):
    permission_classes = [HasRole.of(*GUIDE_ROLES)]

    @extend_schema(responses=GuideOutputSerializer(many=True))
    def get(self, request):
        rows = [{"slug": g.slug, "number": g.number, "title": str(g.title), "summary": str(g.summary),
                 "hours": g.hours, "url": reverse("deepfake:guide_detail", kwargs={"slug": g.slug})} for g in GUIDES]
        return Response(GuideOutputSerializer(rows, many=True).data)


class AssignmentListCreateApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*GUIDE_ROLES)]

    class InputSerializer(serializers.Serializer):
        guide = serializers.ChoiceField(choices=[slug for slug, _title in GUIDE_CHOICES])
        component = serializers.IntegerField(min_value=1, help_text="id of a grade component of an offering you teach")
        instructions = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        due_at = serializers.DateTimeField(required=False, allow_null=True)

    @extend_schema(responses=AssignmentOutputSerializer(many=True))
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.assignment_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(AssignmentOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: AssignmentOutputSerializer, **ERRORS})
    def post(self, request):
        if request.user.role not in ATTACH_ROLES:
            raise ApplicationError("Only teachers attach guides.", code="permission_denied", status_code=403)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        component = selectors.components_for_attach(user=request.user).filter(pk=d["component"]).first()
        if component is None:
            raise ApplicationError("No such grade component in an offering you teach.", code="not_found",
                                   status_code=404)
        assignment = services.assignment_attach(actor=request.user, guide=d["guide"], component=component,
                                                instructions=d.get("instructions", ""), due_at=d.get("due_at"))
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment.pk)
        return Response(AssignmentOutputSerializer(assignment).data, status=status.HTTP_201_CREATED)


class ReportListCreateApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*GUIDE_ROLES)]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(help_text="the report as PDF")

    @extend_schema(responses={200: ReportOutputSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, assignment_id: int):
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.reports_for_assignment(user=request.user, assignment=assignment),
                                           request, view=self)
        return paginator.get_paginated_response(ReportOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ReportOutputSerializer, **ERRORS})
    def post(self, request, assignment_id: int):
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        if request.user.role != Role.STUDENT:
            raise ApplicationError("Only students submit reports.", code="permission_denied", status_code=403)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_submit(actor=request.user, assignment=assignment,
                                        uploaded_file=serializer.validated_data["file"])
        return Response(ReportOutputSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportGradeApi(APIView):
    permission_classes = [HasRole.of(*GRADE_ROLES)]

    class InputSerializer(serializers.Serializer):
        score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
        feedback = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        reason = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                       help_text="required when changing a grade already given")

    @extend_schema(request=InputSerializer, responses={200: ReportOutputSerializer, **ERRORS})
    def post(self, request, report_id: int):
        report = selectors.report_get_for_user(user=request.user, report_id=report_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        report = services.report_grade(actor=request.user, report=report, score=str(d["score"]),
                                       feedback=d.get("feedback", ""), reason=d.get("reason", ""))
        return Response(ReportOutputSerializer(report).data)
