"""REST API of the internships (docs/internships.md#api): placements, check-ins and
weekly logs with their review state. Scoped like the pages: a placement the reader may
not see is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import HasRole
from platform_site.openapi import error_responses
from platform_site.pagination import StandardPagination

from . import selectors, services
from .models import Grade, Placement

READ_ERRORS = error_responses(401, 403, 404)


class PlacementOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student_number = serializers.CharField(source="student.student_number")
    student = serializers.CharField(source="student.user.name_for_display")
    organization = serializers.CharField(source="organization.name")
    title = serializers.CharField()
    mentor = serializers.CharField(source="mentor.username", default=None)
    tutor = serializers.CharField(source="tutor.username", default=None)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    status = serializers.ChoiceField(choices=Placement.Status.choices)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    radius_m = serializers.IntegerField()
    weeks = serializers.IntegerField()


class CheckInOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.DateField()
    at = serializers.DateTimeField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    distance_m = serializers.FloatField(allow_null=True)
    far = serializers.BooleanField(help_text="farther than the placement's radius: flagged, not refused")
    late = serializers.BooleanField()


class LogOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    placement = serializers.IntegerField(source="placement_id")
    week = serializers.IntegerField()
    due_on = serializers.DateField()
    submitted_at = serializers.DateTimeField()
    late = serializers.BooleanField()
    text = serializers.CharField()
    status = serializers.CharField(help_text="submitted, returned (sent back for revision) or reviewed")
    has_video = serializers.SerializerMethodField()
    video_duration_s = serializers.FloatField(allow_null=True)
    poster_status = serializers.CharField()
    mentor_grade = serializers.CharField(allow_blank=True)
    mentor_comment = serializers.CharField(allow_blank=True)
    mentor_reviewed_at = serializers.DateTimeField(allow_null=True)
    tutor_grade = serializers.CharField(allow_blank=True)
    tutor_comment = serializers.CharField(allow_blank=True)
    tutor_reviewed_at = serializers.DateTimeField(allow_null=True)

    def get_has_video(self, log) -> bool:
        return bool(log.video)


def _paginate(view, request, queryset, serializer_class):
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class PlacementListApi(APIView):
    """The placements the reader may see (the intern's own; a mentor's or tutor's interns;
    an enterprise manager's organisation's; all for school administrators)."""

    permission_classes = [HasRole.of(*selectors.VIEWER_ROLES)]
    pagination_class = StandardPagination

    @extend_schema(responses={200: PlacementOutSerializer(many=True), **READ_ERRORS})
    def get(self, request):
        qs = (selectors.placements_visible_to(user=request.user)
              .select_related("student__user", "organization", "mentor", "tutor").order_by("-starts_on", "-id"))
        return _paginate(self, request, qs, PlacementOutSerializer)


class PlacementDetailApi(APIView):
    permission_classes = [HasRole.of(*selectors.VIEWER_ROLES)]

    @extend_schema(responses={200: PlacementOutSerializer, **READ_ERRORS})
    def get(self, request, placement_id: int):
        placement = selectors.placement_get_for_user(user=request.user, placement_id=placement_id)
        return Response(PlacementOutSerializer(placement).data)


class CheckInApi(APIView):
    """GET: the placement's check-ins. POST (the intern): today's check-in; one per day
    (409 for a second); a location farther than the radius is flagged, not refused."""

    permission_classes = [HasRole.of(*selectors.VIEWER_ROLES)]
    pagination_class = StandardPagination

    class InputSerializer(serializers.Serializer):
        latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
        longitude = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
        accuracy_m = serializers.FloatField(required=False, allow_null=True, min_value=0)
        device = serializers.CharField(required=False, allow_blank=True, default="", max_length=500,
                                       help_text="the client's device traits (screen, time zone, ...), hashed")

    @extend_schema(responses={200: CheckInOutSerializer(many=True), **READ_ERRORS})
    def get(self, request, placement_id: int):
        placement = selectors.placement_get_for_user(user=request.user, placement_id=placement_id)
        return _paginate(self, request, placement.checkins.all(), CheckInOutSerializer)

    @extend_schema(request=InputSerializer, responses={201: CheckInOutSerializer,
                                                       **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, placement_id: int):
        placement = selectors.placement_get_for_user(user=request.user, placement_id=placement_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        checkin = services.checkin_record(
            actor=request.user, placement=placement, latitude=data.get("latitude"), longitude=data.get("longitude"),
            accuracy_m=data.get("accuracy_m"), ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("user-agent", ""), traits=data["device"])
        return Response(CheckInOutSerializer(checkin).data, status=status.HTTP_201_CREATED)


class LogListApi(APIView):
    """GET: the placement's weekly logs with their review state. POST (the intern,
    multipart): a log of the week `day` falls in (today by default); a day outside the
    placement's dates, a text under the minimum, or a video that is not a decodable
    MP4/WebM of at most 60 s and 50 MB: 400 and nothing kept; a second log of a week: 409."""

    permission_classes = [HasRole.of(*selectors.VIEWER_ROLES)]
    pagination_class = StandardPagination
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=20000)
        day = serializers.DateField(required=False, allow_null=True)
        video = serializers.FileField(required=False, allow_null=True)
        photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)

    @extend_schema(responses={200: LogOutSerializer(many=True), **READ_ERRORS})
    def get(self, request, placement_id: int):
        placement = selectors.placement_get_for_user(user=request.user, placement_id=placement_id)
        return _paginate(self, request, placement.logs.order_by("week"), LogOutSerializer)

    @extend_schema(request=InputSerializer, responses={201: LogOutSerializer,
                                                       **error_responses(400, 401, 403, 404, 409, 413)})
    def post(self, request, placement_id: int):
        placement = selectors.placement_get_for_user(user=request.user, placement_id=placement_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        log = services.log_submit(actor=request.user, placement=placement, text=data["text"], day=data.get("day"),
                                  video=data.get("video"), photos=request.FILES.getlist("photos"))
        return Response(LogOutSerializer(log).data, status=status.HTTP_201_CREATED)


class LogDetailApi(APIView):
    permission_classes = [HasRole.of(*selectors.VIEWER_ROLES)]

    @extend_schema(responses={200: LogOutSerializer, **READ_ERRORS})
    def get(self, request, log_id: int):
        return Response(LogOutSerializer(selectors.log_get_for_user(user=request.user, log_id=log_id)).data)


class LogReviewApi(APIView):
    """The intern's mentor or tutor grades a log (A–D) with a comment, or sends it back
    for revision (`send_back`, with a comment)."""

    permission_classes = [HasRole.of(Role.TEACHER, Role.ENTERPRISE)]
    parser_classes = [JSONParser, FormParser]

    class InputSerializer(serializers.Serializer):
        grade = serializers.ChoiceField(choices=Grade.choices, required=False, allow_blank=True, default="")
        comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
        send_back = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses={200: LogOutSerializer,
                                                       **error_responses(400, 401, 403, 404, 409)})
    def post(self, request, log_id: int):
        log = selectors.log_get_for_user(user=request.user, log_id=log_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        log = services.log_review(actor=request.user, log=log, **serializer.validated_data)
        return Response(LogOutSerializer(log).data)
