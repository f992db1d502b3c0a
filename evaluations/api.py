"""REST API of the evaluations app: rounds, their results, my invitations and my submissions.

The evaluated student reads their own rounds and results; no response names a peer to
them (results list parties with counts, never raters)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import ApplicationError
from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination

from . import selectors, services
from .permissions import HOME_ROLES, RATER_ROLES

ERROR = inline_serializer("EvaluationError", fields={"error": inline_serializer("EvaluationErrorBody", fields={
    "status": serializers.IntegerField(), "code": serializers.CharField(), "message": serializers.CharField(),
    "fields": serializers.DictField(required=False)})})


def _errors(*codes: int) -> dict:
    descriptions = {400: "invalid input (the reason is in error.message / error.fields)",
                    403: "not allowed", 404: "not found or not yours to see",
                    409: "not possible now (closed, past the deadline, already submitted)"}
    return {code: OpenApiResponse(ERROR, description=descriptions[code]) for code in codes}


class SubjectSerializer(serializers.Serializer):
    type = serializers.CharField(source="subject_kind")
    id = serializers.IntegerField(source="subject_id")
    title = serializers.CharField(source="subject_title")


class EvaluationRoundOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = SubjectSerializer(source="*")
    student_number = serializers.CharField(source="student.student_number")
    template = serializers.CharField(source="template.family")
    template_version = serializers.IntegerField(source="template.version")
    status = serializers.CharField()
    deadline = serializers.DateTimeField()
    finalised_at = serializers.DateTimeField(allow_null=True)
    appeal_closes_at = serializers.DateTimeField(allow_null=True)
    final = serializers.FloatField(source="current_result.final", allow_null=True, default=None)


class RoundListApi(APIView):
    """Rounds the user may read: their own (students), those they organise or rate as
    teacher, mentor or master, all of them for school administrators."""
    pagination_class = StandardPagination  # documents the list as paginated

    permission_classes = [HasRole.of(*HOME_ROLES)]

    @extend_schema(responses={200: EvaluationRoundOutputSerializer(many=True), **_errors(403)})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.rounds_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(EvaluationRoundOutputSerializer(page, many=True).data)


class RoundDetailApi(APIView):
    permission_classes = [HasRole.of(*HOME_ROLES)]

    @extend_schema(responses={200: EvaluationRoundOutputSerializer, **_errors(403, 404)})
    def get(self, request, round_id: int):
        round_ = selectors.round_get_for_user(user=request.user, round_id=round_id)
        return Response(EvaluationRoundOutputSerializer(round_).data)


class PartyResultSerializer(serializers.Serializer):
    party = serializers.CharField()
    weight = serializers.FloatField()
    score = serializers.FloatField(allow_null=True, help_text="null: the party did not count (absent, or < 3 peers)")
    raters = serializers.IntegerField(help_text="how many submitted")
    counted = serializers.BooleanField()


class DimensionResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    score = serializers.FloatField()


class ResultOutputSerializer(serializers.Serializer):
    subject = SubjectSerializer()
    final = serializers.FloatField(min_value=0, max_value=100)
    parties = PartyResultSerializer(many=True)
    parties_counted = serializers.ListField(child=serializers.CharField())
    dimensions = DimensionResultSerializer(many=True)
    flags = serializers.ListField(child=serializers.DictField())
    self_score = serializers.FloatField(allow_null=True, help_text="shown beside the result, never counted")
    excellent = serializers.BooleanField(help_text="rewarded jointly (decided when the appeal window closes)")
    version = serializers.IntegerField()


class RoundResultApi(APIView):
    """`{"subject": {"type", "id", "title"}, "final", "parties": [{"party", "weight", "score",
    "raters"}], "dimensions": [{"code", "score"}], "excellent"}` — 404 until finalised."""

    permission_classes = [HasRole.of(*HOME_ROLES)]

    @extend_schema(responses={200: ResultOutputSerializer, **_errors(403, 404)})
    def get(self, request, round_id: int):
        round_ = selectors.round_with_result_for_user(user=request.user, round_id=round_id)
        if not selectors.round_result_visible(user=request.user, round_=round_):
            raise ApplicationError("No result yet.", code="no_result", status_code=404)
        result = round_.current_result
        body = {
            "subject": round_, "final": result.final, "parties": result.parties,
            "parties_counted": result.parties_counted, "dimensions": result.dimensions, "flags": result.flags,
            "self_score": result.self_score, "version": result.version,
            "excellent": round_.rewarded,
        }
        return Response(ResultOutputSerializer(body).data)


class InvitationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round_id")
    subject = SubjectSerializer(source="round")
    party = serializers.CharField()
    student_number = serializers.CharField(source="round.student.student_number")
    deadline = serializers.DateTimeField(source="round.deadline")
    round_status = serializers.CharField(source="round.status")
    submitted_at = serializers.DateTimeField(allow_null=True)


class InvitationListApi(APIView):
    """My invitations (as teacher, mentor, master, peer or for my self-evaluation)."""
    pagination_class = StandardPagination  # documents the list as paginated

    permission_classes = [HasRole.of(*RATER_ROLES)]

    @extend_schema(responses={200: InvitationOutputSerializer(many=True), **_errors(403)})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.invitations_for_rater(user=request.user), request, view=self)
        return paginator.get_paginated_response(InvitationOutputSerializer(page, many=True).data)


class EvaluationSubmissionOutputSerializer(serializers.Serializer):
    invitation = serializers.IntegerField(source="invitation_id")
    scores = serializers.DictField(source="criterion_scores", child=serializers.FloatField())
    dimension_scores = serializers.DictField(child=serializers.FloatField())
    comments = serializers.DictField(child=serializers.CharField())
    total = serializers.FloatField()
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SubmissionApi(APIView):
    """My submission for one invitation. POST once (a second POST is 409), PUT to change it
    until the deadline. `scores` maps `<dimension>.<criterion>` (or a dimension without
    sub-criteria) to 0..100; `comments` maps a dimension code to text."""

    permission_classes = [HasRole.of(*RATER_ROLES)]

    class InputSerializer(serializers.Serializer):
        scores = serializers.DictField(child=serializers.FloatField(min_value=0, max_value=100))
        comments = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000),
                                         required=False)

    @extend_schema(responses={200: EvaluationSubmissionOutputSerializer, **_errors(403, 404)})
    def get(self, request, invitation_id: int):
        invitation = selectors.invitation_get_for_rater(user=request.user, invitation_id=invitation_id)
        submission = getattr(invitation, "submission", None)
        if submission is None:
            raise ApplicationError("Nothing submitted yet.", code="no_submission", status_code=404)
        return Response(EvaluationSubmissionOutputSerializer(submission).data)

    def _save(self, request, invitation_id: int, *, create: bool):
        selectors.invitation_get_for_rater(user=request.user, invitation_id=invitation_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        save = services.submission_create if create else services.submission_update
        submission = save(actor=request.user, invitation_id=invitation_id, scores=data["scores"],
                          comments=data.get("comments") or {})
        return Response(EvaluationSubmissionOutputSerializer(submission).data,
                        status=status.HTTP_201_CREATED if create else status.HTTP_200_OK)

    @extend_schema(request=InputSerializer, responses={201: EvaluationSubmissionOutputSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request, invitation_id: int):
        return self._save(request, invitation_id, create=True)

    @extend_schema(request=InputSerializer, responses={200: EvaluationSubmissionOutputSerializer, **_errors(400, 403, 404, 409)})
    def put(self, request, invitation_id: int):
        return self._save(request, invitation_id, create=False)
