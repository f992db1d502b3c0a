"""REST API for challenges: list and detail, leaderboards (private: 403 until the phase
closes), a user's submissions and new submissions (CSV or weights, multipart)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import ApplicationError
from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination

from . import selectors, services
from .permissions import CHALLENGE_ROLES, CREATE_ROLES, ENTER_ROLES, can_manage_challenge

ERRORS = {400: OpenApiResponse(description="invalid input: {\"error\": {...}}"),
          403: OpenApiResponse(description="not allowed / private leaderboard hidden until the phase closes"),
          404: OpenApiResponse(description="no such challenge or phase for this user"),
          409: OpenApiResponse(description="the phase is not open"),
          429: OpenApiResponse(description="submission quota used up")}


class PhaseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    finalized_at = serializers.DateTimeField(allow_null=True)


class ChallengeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    teacher = serializers.CharField(source="created_by.username")
    rule = serializers.CharField()
    daily_quota = serializers.IntegerField()
    total_quota = serializers.IntegerField()
    test_count = serializers.IntegerField()
    dev_count = serializers.IntegerField()
    generators = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


class SubmissionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    error = serializers.CharField()
    is_baseline = serializers.BooleanField()
    label = serializers.CharField()
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    public_auc = serializers.FloatField(allow_null=True)
    public_accuracy = serializers.FloatField(allow_null=True)
    public_per_generator = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_public_per_generator(self, obj) -> dict:
        return (obj.scores or {}).get("public", {}).get("per_generator", {})


class LeaderboardRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    entrant = serializers.CharField()
    team = serializers.CharField()
    is_baseline = serializers.BooleanField()
    auc = serializers.FloatField(allow_null=True)
    accuracy = serializers.FloatField(allow_null=True)
    per_generator = serializers.DictField(child=serializers.FloatField(allow_null=True))
    submissions = serializers.IntegerField()


class ChallengeListApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*CHALLENGE_ROLES)]

    @extend_schema(responses=ChallengeOutputSerializer(many=True))
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.challenge_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(ChallengeOutputSerializer(page, many=True).data)


class ChallengeDetailApi(APIView):
    permission_classes = [HasRole.of(*CHALLENGE_ROLES)]

    @extend_schema(responses={200: ChallengeOutputSerializer, 404: ERRORS[404]})
    def get(self, request, challenge_id: int):
        challenge = selectors.challenge_get_for_user(user=request.user, challenge_id=challenge_id)
        body = ChallengeOutputSerializer(challenge).data
        body["phases"] = PhaseOutputSerializer(selectors.phases_of(challenge=challenge), many=True).data
        return Response(body)


class LeaderboardApi(APIView):
    permission_classes = [HasRole.of(*CHALLENGE_ROLES)]

    @extend_schema(parameters=[OpenApiParameter("board", enum=["public", "private"], default="public")],
                   responses={200: LeaderboardRowSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]})
    def get(self, request, phase_id: int):
        phase = selectors.phase_get_for_user(user=request.user, phase_id=phase_id)
        private = request.query_params.get("board", "public") == "private"
        if private and not selectors.private_visible(phase):
            raise ApplicationError("The private leaderboard is hidden until the phase closes.",
                                   code="private_hidden", status_code=403)
        # The cached rows are plain values already; picking the documented fields is enough (a
        # serializer per row costs more than the rest of the request for 500 entrants).
        fields = list(LeaderboardRowSerializer().fields)
        return Response([{f: row[f] for f in fields} for row in selectors.leaderboard(phase=phase, private=private)])


class SubmissionListCreateApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*ENTER_ROLES, *CREATE_ROLES)]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=["predictions", "weights"])
        file = serializers.FileField()
        label = serializers.CharField(max_length=80, required=False, allow_blank=True)

    @extend_schema(responses={200: SubmissionOutputSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, phase_id: int):
        phase = selectors.phase_get_for_user(user=request.user, phase_id=phase_id)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.submissions_for_user(user=request.user, phase=phase), request,
                                           view=self)
        return paginator.get_paginated_response(SubmissionOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: SubmissionOutputSerializer, **ERRORS})
    def post(self, request, phase_id: int):
        phase = selectors.phase_get_for_user(user=request.user, phase_id=phase_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        create = services.submission_create_weights if d["kind"] == "weights" else services.submission_create_predictions
        submission = create(actor=request.user, phase=phase, uploaded_file=d["file"], label=d.get("label", ""),
                            baseline=can_manage_challenge(request.user, phase.challenge))
        return Response(SubmissionOutputSerializer(submission).data, status=status.HTTP_201_CREATED)


class ExperimentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    challenge = serializers.IntegerField(source="challenge_id")
    student = serializers.CharField(source="student.username")
    arch = serializers.CharField()
    epochs = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    error = serializers.CharField()
    metrics = serializers.JSONField(help_text="test (AUC per generator), validation, history (loss and AUC per epoch)")
    created_at = serializers.DateTimeField()


class ExperimentListCreateApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*ENTER_ROLES, *CREATE_ROLES)]

    class InputSerializer(serializers.Serializer):
        challenge = serializers.IntegerField(min_value=1)
        arch = serializers.ChoiceField(choices=["small_cnn", "spectrum_logreg"])
        epochs = serializers.IntegerField(min_value=1, max_value=8)
        note = serializers.CharField(max_length=80, required=False, allow_blank=True)

    @extend_schema(responses=ExperimentOutputSerializer(many=True))
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.experiment_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(ExperimentOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ExperimentOutputSerializer, **ERRORS})
    def post(self, request):
        from .experiments import experiment_start

        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        challenge = selectors.challenge_get_for_user(user=request.user, challenge_id=d["challenge"])
        experiment = experiment_start(actor=request.user, challenge=challenge, arch=d["arch"], epochs=d["epochs"],
                                      note=d.get("note", ""))
        return Response(ExperimentOutputSerializer(experiment).data, status=status.HTTP_201_CREATED)
