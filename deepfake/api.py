"""REST API of the deepfake lab: upload + job creation, job list, the full report as JSON, the model registry."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination

from . import selectors, services
from .models import DetectionJob
from .permissions import DETECT_ROLES, HOME_ROLES


class JobOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    stage = serializers.CharField()
    error = serializers.CharField()
    kind = serializers.CharField(source="media.kind")
    media_id = serializers.IntegerField(source="media.pk")
    original_name = serializers.CharField(source="media.original_name")
    model = serializers.CharField(source="detector.label")
    judged_by = serializers.CharField(
        help_text="the model that judged the file: a detector may judge still images and video frames with different "
                  "models (empty for jobs not yet run)")
    score = serializers.FloatField(allow_null=True)
    verdict = serializers.CharField()
    whole_image_score = serializers.FloatField(allow_null=True)
    faces = serializers.IntegerField(source="face_count")
    aggregation = serializers.CharField()
    requested_by = serializers.CharField(source="requested_by.username")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class JobListCreateApi(APIView):
    permission_classes = [HasRole.of(*DETECT_ROLES)]
    # A file cannot travel form-urlencoded: multipart only (and so documented).
    parser_classes = [MultiPartParser]
    pagination_class = StandardPagination  # documents the list as paginated

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        detector = serializers.IntegerField(required=False, min_value=1)
        frames = serializers.IntegerField(required=False, min_value=1, max_value=256)
        aggregation = serializers.ChoiceField(choices=DetectionJob.Aggregation.values, required=False)

    @extend_schema(responses=JobOutputSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.job_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(JobOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: JobOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = services.media_upload_and_detect(
            actor=request.user, uploaded_file=data["file"], detector_id=data.get("detector"),
            frame_count=data.get("frames"), aggregation=data.get("aggregation") or settings.DEEPFAKE_AGGREGATION,
        )
        job.refresh_from_db()
        return Response(JobOutputSerializer(job).data, status=status.HTTP_201_CREATED)


class JobDetailApi(APIView):
    """The whole report: verdict, per-frame and per-face scores, queue position."""

    permission_classes = [HasRole.of(*DETECT_ROLES)]

    @extend_schema(responses={200: dict})
    def get(self, request, job_id: int):
        job = selectors.job_get_for_user(user=request.user, job_id=job_id)
        body = JobOutputSerializer(job).data
        body["queue_position"] = selectors.job_queue_position(job=job)
        body["threshold"] = job.decision_threshold
        body["device"] = job.device
        body["timings"] = job.timings
        body["frames"] = [
            {"index": f.frame_index, "time_s": f.time_s, "score": f.score,
             "faces": [{"box": {"x": face.x, "y": face.y, "w": face.w, "h": face.h}, "source": face.detector_source,
                        "score": face.score} for face in f.faces.all()]}
            for f in selectors.job_frames(job=job)
        ]
        return Response(body)


class ModelListApi(APIView):
    permission_classes = [HasRole.of(*HOME_ROLES)]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        version = serializers.IntegerField()
        arch = serializers.CharField()
        threshold = serializers.FloatField()
        is_active = serializers.BooleanField()
        metrics = serializers.SerializerMethodField(
            help_text="test (per generator), validation, cross_source_auc, mean_spectra, ... Build details "
                      "(server paths, command, library versions) only for those who train models.")
        training_summary = serializers.SerializerMethodField()
        trained_by = serializers.CharField(source="trained_by.username", allow_null=True, default=None)
        created_at = serializers.DateTimeField()

        def _details(self, model) -> tuple[dict, dict]:
            return selectors.detector_model_details_for_user(model=model, user=self.context["request"].user)

        def get_metrics(self, model) -> dict:
            return self._details(model)[0]

        def get_training_summary(self, model) -> dict:
            return self._details(model)[1]

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        return Response(self.OutputSerializer(selectors.detector_model_list(), many=True,
                                              context={"request": request}).data)
