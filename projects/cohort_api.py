"""REST API of two-way selection rounds, order classes and graduation design."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination
from teachers.models import Major

from . import cohort_selectors as cs
from . import cohort_services, selection
from .api import ERRORS
from .models import GraduationTopic, OrderClass, SelectionOption, SelectionRound
from .permissions import HOME_ROLES, MODERATE_ROLES, TOPIC_ROLES
from .uploads import check_upload

ROUND_SHAPE = inline_serializer("SelectionRoundData", {
    "capacities": serializers.DictField(child=serializers.IntegerField(), help_text="{option id: seats}"),
    "student_preferences": serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                                 help_text="{student number: [option id, ...]} best first"),
    "option_preferences": serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                                help_text="{option id: [student number, ...]} best first"),
    "assignment": serializers.DictField(child=serializers.CharField(allow_null=True),
                                        help_text="{student number: option id or null}"),
})


class RoundOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    major = serializers.CharField(source="major.code")
    intake_year = serializers.IntegerField()
    apply_deadline = serializers.DateTimeField()
    option_count = serializers.IntegerField()
    applicant_count = serializers.IntegerField()


class OptionInput(serializers.Serializer):
    order_class = serializers.IntegerField(required=False)
    topic = serializers.IntegerField(required=False)
    capacity = serializers.IntegerField(help_text="seats, at least 1 (checked by the service: a clear 400)")


class RoundListApi(APIView):
    """Rounds the user takes part in; school administrators create them."""
    pagination_class = StandardPagination  # documents the list as paginated

    permission_classes = [HasRole.of(*HOME_ROLES)]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=SelectionRound.Kind.values)
        title = serializers.CharField(max_length=200)
        major = serializers.SlugRelatedField(slug_field="code", queryset=Major.objects.all())
        intake_year = serializers.IntegerField(min_value=2000, max_value=2100)
        apply_deadline = serializers.DateTimeField()
        max_choices = serializers.IntegerField(required=False, default=10)
        options = OptionInput(many=True, allow_empty=False)

    @extend_schema(responses={200: RoundOutputSerializer(many=True), **ERRORS})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(cs.round_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(RoundOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: RoundOutputSerializer, **ERRORS})
    def post(self, request):
        if request.user.role != Role.SCHOOL_ADMIN:
            raise ApplicationError(_("Only school administrators create selection rounds."), code="permission_denied",
                                   status_code=403)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        model = OrderClass if data["kind"] == SelectionRound.Kind.ORDER_CLASS else GraduationTopic
        key = "order_class" if model is OrderClass else "topic"
        options = []
        for row in data.pop("options"):
            if key not in row:
                raise ApplicationError(_("Every option must match the kind of round."), code="option_kind")
            options.append((get_object_or_404(model, pk=row[key]), row["capacity"]))
        created = selection.selection_round_create(actor=request.user, options=options, **data)
        return Response(RoundOutputSerializer(cs.round_list_for_user(user=request.user).get(pk=created.pk)).data,
                        status=status.HTTP_201_CREATED)


class RoundDetailApi(APIView):
    """For school administrators: the round's capacities, both sides' preferences and the assignment."""

    permission_classes = [HasRole.of(*MODERATE_ROLES)]

    @extend_schema(responses={200: ROUND_SHAPE, **ERRORS})
    def get(self, request, round_id: int):
        selection_round = cs.round_get_for_user(user=request.user, round_id=round_id)
        return Response(cs.round_api_body(selection_round=selection_round))


class RoundActionApi(APIView):
    """POST close | compute | confirm (school administrators)."""

    permission_classes = [HasRole.of(*MODERATE_ROLES)]
    actions = {"close": selection.selection_close, "compute": selection.selection_compute,
               "confirm": selection.selection_confirm}

    @extend_schema(operation_id="selection_rounds_action", request=None, responses={200: ROUND_SHAPE, **ERRORS})
    def post(self, request, round_id: int, action: str):
        selection_round = cs.round_get_for_user(user=request.user, round_id=round_id)
        self.actions[action](actor=request.user, selection_round=selection_round)
        selection_round.refresh_from_db()
        return Response(cs.round_api_body(selection_round=selection_round))


class RoundApplyApi(APIView):
    """A student applies to one option (added at the end of their list)."""

    permission_classes = [HasRole.of(Role.STUDENT)]

    class InputSerializer(serializers.Serializer):
        option = serializers.IntegerField()
        statement = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)

    @extend_schema(request=InputSerializer, responses={201: inline_serializer("ApplicationOutput", {
        "option": serializers.IntegerField(), "student_rank": serializers.IntegerField()}), **ERRORS})
    def post(self, request, round_id: int):
        selection_round = cs.round_get_for_user(user=request.user, round_id=round_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        option = get_object_or_404(SelectionOption, pk=serializer.validated_data["option"], round=selection_round)
        application = selection.selection_apply(actor=request.user, option=option,
                                                statement=serializer.validated_data["statement"])
        return Response({"option": application.option_id, "student_rank": application.student_rank},
                        status=status.HTTP_201_CREATED)


class RoundRankApi(APIView):
    """A student orders the options they applied to, best first."""

    permission_classes = [HasRole.of(Role.STUDENT)]

    class InputSerializer(serializers.Serializer):
        options = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)

    @extend_schema(request=InputSerializer, responses={200: inline_serializer("RankOutput", {
        "options": serializers.ListField(child=serializers.IntegerField())}), **ERRORS})
    def post(self, request, round_id: int):
        selection_round = cs.round_get_for_user(user=request.user, round_id=round_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = selection.selection_rank(actor=request.user, selection_round=selection_round,
                                         option_ids=serializer.validated_data["options"])
        return Response({"options": order})


class RoundResultApi(APIView):
    """A student's own result, with why they were not admitted to a better choice."""

    permission_classes = [HasRole.of(Role.STUDENT)]

    @extend_schema(responses={200: inline_serializer("SelectionResult", {
        "option": serializers.IntegerField(allow_null=True), "choice_rank": serializers.IntegerField(allow_null=True),
        "reasons": serializers.ListField(child=serializers.DictField())}), **ERRORS})
    def get(self, request, round_id: int):
        selection_round = cs.round_get_for_user(user=request.user, round_id=round_id)
        result = cs.outcome_for_student(user=request.user, selection_round=selection_round)
        if result is None:
            return Response({"option": None, "choice_rank": None, "reasons": [], "computed": False})
        return Response({"option": result["outcome"].option_id, "choice_rank": result["choice_rank"],
                         "reasons": result["reasons"], "computed": True})


class OptionRankApi(APIView):
    """The option's enterprise or tutors order its applicants (or give interview scores)."""

    permission_classes = [HasRole.of(Role.ENTERPRISE, Role.TEACHER, Role.SCHOOL_ADMIN)]

    class InputSerializer(serializers.Serializer):
        students = serializers.ListField(child=serializers.CharField(), required=False,
                                         help_text="student numbers, best first; applicants left out are not acceptable")
        interview_scores = serializers.DictField(child=serializers.DecimalField(max_digits=5, decimal_places=2),
                                                 required=False, default=dict)

    @extend_schema(request=InputSerializer, responses={200: inline_serializer("OptionRankOutput", {
        "students": serializers.ListField(child=serializers.CharField())}), **ERRORS})
    def post(self, request, option_id: int):
        option = cs.option_get_for_user(user=request.user, option_id=option_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        order = selection.selection_option_rank(actor=request.user, option=option,
                                                student_numbers=data.get("students"),
                                                interview_scores=data["interview_scores"])
        return Response({"students": order})


class OrderClassListApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*HOME_ROLES)]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        enterprise = serializers.CharField(source="enterprise.name")
        major = serializers.CharField(source="major.code")
        intake_year = serializers.IntegerField()
        capacity = serializers.IntegerField()
        member_count = serializers.IntegerField()
        status = serializers.CharField()
        criteria = serializers.CharField()

    @extend_schema(responses={200: OutputSerializer(many=True), **ERRORS})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(cs.order_class_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class TopicListApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*HOME_ROLES)]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        status = serializers.CharField()
        major = serializers.CharField(source="major.code")
        school_tutor = serializers.CharField(source="school_tutor.username")
        enterprise_tutor = serializers.CharField(source="enterprise_tutor.username")
        capacity = serializers.IntegerField()
        source_project_id = serializers.IntegerField(allow_null=True)
        design_count = serializers.IntegerField()

    @extend_schema(responses={200: OutputSerializer(many=True), **ERRORS})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(cs.topic_list_for_user(user=request.user).order_by("major", "title", "id"),
                                           request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class DesignOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    topic_id = serializers.IntegerField()
    student_number = serializers.CharField(source="student.student_number")
    stage = serializers.CharField()
    final_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    grades = serializers.SerializerMethodField()

    def get_grades(self, design) -> list[dict]:
        return [{"stage": g.stage, "grader": g.grader, "score": str(g.score)} for g in design.stage_grades.all()]


class DesignGradeApi(APIView):
    """A tutor grades the design's current stage."""

    permission_classes = [HasRole.of(*TOPIC_ROLES)]

    class InputSerializer(serializers.Serializer):
        score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
        comment = serializers.CharField(required=False, default="", allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: DesignOutputSerializer, **ERRORS})
    def post(self, request, design_id: int):
        design = cs.design_get_for_user(user=request.user, design_id=design_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cohort_services.stage_grade(actor=request.user, design=design, **serializer.validated_data)
        return Response(DesignOutputSerializer(cs.design_get_for_user(user=request.user, design_id=design_id)).data)


class DesignSubmitApi(APIView):
    permission_classes = [HasRole.of(Role.STUDENT)]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        note = serializers.CharField(required=False, default="", allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: DesignOutputSerializer, **ERRORS})
    def post(self, request, design_id: int):
        design = cs.design_get_for_user(user=request.user, design_id=design_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cohort_services.graduation_submit(actor=request.user, design=design,
                                          checked=check_upload(serializer.validated_data["file"]),
                                          note=serializer.validated_data["note"])
        return Response(DesignOutputSerializer(cs.design_get_for_user(user=request.user, design_id=design_id)).data,
                        status=status.HTTP_201_CREATED)
