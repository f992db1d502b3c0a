"""API of expert lectures: list (paginated; `when` upcoming|past|all), detail (with the
roster for the organiser), schedule, sign up, cancel, attendance. Writes call the same
services as the pages, so refusals are the same 4xx `{"error": {...}}` bodies."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination
from teachers.models import Major

from .. import permissions as perms
from . import selectors, services

ERRORS = {400: OpenApiResponse(description="invalid input: {\"error\": {status, code, message, fields?}}"),
          403: OpenApiResponse(description="not permitted"), 404: OpenApiResponse(description="not found")}


class LectureOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    speaker = serializers.CharField()
    speaker_title = serializers.CharField()
    organiser = serializers.CharField(source="organiser.username")
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    room = serializers.CharField()
    capacity = serializers.IntegerField()
    confirmed = serializers.IntegerField(source="n_confirmed")
    waitlisted = serializers.IntegerField(source="n_waitlisted")
    attended = serializers.IntegerField(source="n_attended")
    attendance_taken_at = serializers.DateTimeField(allow_null=True)


class SignupOutput(serializers.Serializer):
    student_number = serializers.CharField(source="student.student_number")
    status = serializers.CharField()
    signed_up_at = serializers.DateTimeField()
    attended = serializers.BooleanField()


class LectureDetailOutput(LectureOutput):
    majors = serializers.SerializerMethodField()
    my_signup = serializers.SerializerMethodField()
    waitlist_position = serializers.SerializerMethodField()
    roster = serializers.SerializerMethodField()

    def get_majors(self, obj) -> list[str]:
        return [m.code for m in obj.majors.all()]

    def _signup(self, obj):
        return selectors.signup_for_user(user=self.context["request"].user, lecture=obj)

    def get_my_signup(self, obj) -> str | None:
        signup = self._signup(obj)
        return signup.status if signup else None

    def get_waitlist_position(self, obj) -> int | None:
        signup = self._signup(obj)
        return selectors.waitlist_position(signup=signup) if signup else None

    @extend_schema_field(SignupOutput(many=True, allow_null=True))
    def get_roster(self, obj) -> list[dict] | None:
        if not services.can_manage(user=self.context["request"].user, lecture=obj):
            return None
        return SignupOutput(selectors.lecture_roster(lecture=obj), many=True).data


class LectureListApi(generics.ListAPIView):
    """Lectures the user may see (students: of their major or open to every major)."""

    permission_classes = [HasRole.of(*perms.LECTURE_ROLES)]
    pagination_class = StandardPagination
    serializer_class = LectureOutput

    def get_queryset(self):
        when = self.request.query_params.get("when", "upcoming")
        return selectors.lectures_for_user(user=self.request.user,
                                           when=when if when in ("upcoming", "past", "all") else "upcoming")

    @extend_schema(parameters=[OpenApiParameter("when", str, enum=["upcoming", "past", "all"])],
                   responses={200: LectureOutput(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class LectureCreateApi(APIView):
    """Schedule a lecture (industry masters and school administrators)."""

    permission_classes = [HasRole.of(*perms.LECTURE_ORGANISER_ROLES)]

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        abstract = serializers.CharField(max_length=5000)
        speaker = serializers.CharField(max_length=120)
        speaker_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        starts_at = serializers.DateTimeField()
        duration_minutes = serializers.IntegerField(min_value=15, max_value=480, default=90)
        room = serializers.CharField(max_length=120)
        capacity = serializers.IntegerField(min_value=1, max_value=services.MAX_CAPACITY)
        majors = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list,
                                       help_text="major codes; empty: every major")

    @extend_schema(request=InputSerializer, responses={201: LectureDetailOutput, **ERRORS})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        codes = values.pop("majors")
        majors = list(Major.objects.filter(code__in=codes))
        if len(majors) != len(set(codes)):
            raise serializers.ValidationError({"majors": ["unknown major code"]})
        lecture = services.lecture_schedule(actor=request.user, majors=majors, **values)
        lecture = selectors.lecture_get_for_user(user=request.user, lecture_id=lecture.pk)
        return Response(LectureDetailOutput(lecture, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class LectureDetailApi(APIView):
    permission_classes = [HasRole.of(*perms.LECTURE_ROLES)]

    @extend_schema(responses={200: LectureDetailOutput, **ERRORS})
    def get(self, request, lecture_id: int):
        lecture = selectors.lecture_get_for_user(user=request.user, lecture_id=lecture_id)
        return Response(LectureDetailOutput(lecture, context={"request": request}).data)


class LectureSignupApi(APIView):
    """`signup` (confirmed, or on the waitlist when full) and `cancel` (before the start;
    frees a seat for the first on the waitlist). Students only."""

    permission_classes = [HasRole.of(*perms.HOME_ROLES)]
    action = ""

    @extend_schema(request=None, responses={200: SignupOutput, **ERRORS})
    def post(self, request, lecture_id: int):
        lecture = selectors.lecture_get_for_user(user=request.user, lecture_id=lecture_id)
        service = services.lecture_signup if self.action == "signup" else services.lecture_cancel
        signup = service(actor=request.user, lecture=lecture)
        return Response(SignupOutput(signup).data)


class LectureAttendanceApi(APIView):
    """The organiser (or an administrator) states who attended, all at once: the listed
    student numbers attended, the others did not. Unknown numbers: 400, nothing written."""

    permission_classes = [HasRole.of(*perms.LECTURE_ORGANISER_ROLES)]

    class InputSerializer(serializers.Serializer):
        student_numbers = serializers.ListField(child=serializers.CharField(max_length=20), max_length=5000)

    @extend_schema(request=InputSerializer, responses={200: inline_serializer("LectureAttendanceResult", {
        "attended": serializers.IntegerField(), "added": serializers.IntegerField(),
        "removed": serializers.IntegerField(), "points": serializers.IntegerField(help_text="points per attendee"),
        "at": serializers.DateTimeField()}), **ERRORS})
    def post(self, request, lecture_id: int):
        lecture = selectors.lecture_get_for_user(user=request.user, lecture_id=lecture_id)
        if not services.can_manage(user=request.user, lecture=lecture):
            raise PermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.attendance_save(actor=request.user, lecture=lecture,
                                          student_numbers=data.validated_data["student_numbers"])
        return Response({**result, "at": timezone.now()})
