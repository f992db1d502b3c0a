"""API for courses, versions, reforms, resources and supervision tasks (issue 14).

Lists are paginated (`page`, `page_size` ≤ 200) and scoped to the user like the pages;
writes call the same services, so refusals are the same 4xx `{"error": {...}}` bodies."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import NotPermitted
from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination

from .curriculum.selectors import course_get_for_user, course_program_rows, courses_for_user
from .models import Course
from .permissions import (
    CURRICULUM_ROLES,
    REFORM_PROPOSER_ROLES,
    REFORM_ROLES,
    RESOURCE_ROLES,
    SUPERVISION_ROLES,
)
from .reform import services as reform_services
from .reform.impact import preview_programs, reform_impact_preview
from .reform.models import CourseVersion, Reform
from .reform.selectors import reform_diff, reform_get_for_user, reforms_for_user
from .resources.selectors import CappedPaginator, resources_for_user
from .supervision import services as supervision_services
from .supervision.selectors import task_get_for_user, tasks_for_user

ERRORS = {400: OpenApiResponse(description="invalid input: {\"error\": {status, code, message, fields?}}"),
          403: OpenApiResponse(description="not permitted"), 404: OpenApiResponse(description="not found")}


class CourseOutput(serializers.ModelSerializer):
    major = serializers.CharField(source="major.code", default=None)
    owners = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = ["id", "code", "name", "name_en", "major", "kind", "description", "owners"]

    def get_owners(self, obj) -> list[str]:
        return [u.username for u in obj.owners.all()]


class VersionOutput(serializers.ModelSerializer):
    reform = serializers.IntegerField(source="reform_id", allow_null=True)

    class Meta:
        model = CourseVersion
        fields = ["number", "applies_from_intake", "objectives", "modules", "components", "weights", "credits",
                  "reform", "created_at"]


class CourseListApi(generics.ListAPIView):
    """Courses the user owns or teaches (administrators: all); `q` searches code and name."""

    permission_classes = [HasRole.of(*CURRICULUM_ROLES)]
    pagination_class = StandardPagination
    serializer_class = CourseOutput

    @extend_schema(parameters=[OpenApiParameter("q", str)], responses={200: CourseOutput(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return courses_for_user(user=self.request.user, query=self.request.query_params.get("q", "")[:100])


class CourseDetailApi(APIView):
    """A course with its programs (credits, weights, version in force) and its versions."""

    permission_classes = [HasRole.of(*CURRICULUM_ROLES)]

    class ProgramRow(serializers.Serializer):
        program = serializers.IntegerField()
        intake_year = serializers.IntegerField()
        credits = serializers.DecimalField(max_digits=4, decimal_places=1)
        semester = serializers.IntegerField()
        weights = serializers.DictField(child=serializers.CharField())
        version = serializers.IntegerField(allow_null=True)

    class OutputSerializer(CourseOutput):
        programs = serializers.ListField(child=serializers.DictField())
        versions = VersionOutput(many=True)

        class Meta(CourseOutput.Meta):
            fields = [*CourseOutput.Meta.fields, "programs", "versions"]

    @extend_schema(responses={200: OutputSerializer, **ERRORS})
    def get(self, request, course_id: int):
        course = course_get_for_user(user=request.user, course_id=course_id)
        programs = [self.ProgramRow({
            "program": pc.program_id, "intake_year": pc.program.intake_year, "credits": pc.credits,
            "semester": pc.semester, "weights": {w.competency.code: str(w.weight) for w in pc.weights.all()},
            "version": pc.version.number if pc.version else None}).data for pc in course_program_rows(course=course)]
        versions = VersionOutput(CourseVersion.objects.filter(course=course), many=True).data
        return Response({**CourseOutput(course).data, "programs": programs, "versions": versions})


class ReformOutput(serializers.ModelSerializer):
    course = serializers.CharField(source="course.code")
    proposer = serializers.CharField(source="proposer.username")

    class Meta:
        model = Reform
        fields = ["id", "course", "title", "rationale", "status", "focus_competency", "proposer", "objectives",
                  "modules", "components", "weights", "credits", "from_intake_year", "decision_note",
                  "created_at", "updated_at"]


class ReformListApi(generics.ListAPIView):
    """`GET`: reforms the user may see (paginated, `status` filter). `POST`: propose a reform of one's
    own course (a draft); without sections it starts from the current version."""

    permission_classes = [HasRole.of(*REFORM_ROLES)]
    pagination_class = StandardPagination
    serializer_class = ReformOutput

    class InputSerializer(serializers.Serializer):
        course = serializers.IntegerField()
        title = serializers.CharField(max_length=200)
        rationale = serializers.CharField(required=False, allow_blank=True, default="")
        focus_competency = serializers.CharField(required=False, allow_blank=True, default="")
        objectives = serializers.CharField(required=False, allow_blank=True)
        modules = serializers.ListField(child=serializers.DictField(), required=False)
        components = serializers.ListField(child=serializers.DictField(), required=False)
        weights = serializers.DictField(child=serializers.CharField(), required=False)
        credits = serializers.CharField(required=False)

    def get_queryset(self):
        qs = reforms_for_user(user=self.request.user)
        if self.request.query_params.get("status") in Reform.Status.values:
            qs = qs.filter(status=self.request.query_params["status"])
        return qs

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=Reform.Status.values)],
                   responses={200: ReformOutput(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=InputSerializer, responses={201: ReformOutput, **ERRORS})
    def post(self, request):
        if request.user.role not in REFORM_PROPOSER_ROLES:
            raise NotPermitted(_("You can propose a reform only for a course you own."))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        course = get_object_or_404(Course, pk=d["course"])
        sections = ("objectives", "modules", "components", "weights", "credits")
        content = None
        if any(k in d for k in sections):
            from .reform.selectors import course_current_content

            content = {**course_current_content(course=course), **{k: d[k] for k in sections if k in d}}
        reform = reform_services.reform_create(actor=request.user, course=course, title=d["title"],
                                               rationale=d["rationale"], focus_competency=d["focus_competency"],
                                               content=content)
        return Response(ReformOutput(reform).data, status=status.HTTP_201_CREATED)


class ReformDetailApi(APIView):
    """A reform with its side-by-side diff against the current version, reviewers and votes."""

    permission_classes = [HasRole.of(*REFORM_ROLES)]

    @extend_schema(responses={200: inline_serializer("ReformDetail", {
        "reform": ReformOutput(), "diff": serializers.ListField(child=serializers.DictField()),
        "votes": serializers.ListField(child=serializers.DictField())}), **ERRORS})
    def get(self, request, reform_id: int):
        reform = reform_get_for_user(user=request.user, reform_id=reform_id)
        diff = [{"section": s.section, "changed": s.changed,
                 "rows": [{"label": r.label, "before": r.before, "after": r.after} for r in s.rows],
                 "text": [{"tag": t, "before": b, "after": a} for t, b, a in s.text_diff]}
                for s in reform_diff(reform=reform)]
        votes = [{"reviewer": v.reviewer.username, "decision": v.decision, "note": v.note}
                 for v in reform.votes.select_related("reviewer")]
        return Response({"reform": ReformOutput(reform).data, "diff": diff, "votes": votes})


class ReformActionApi(APIView):
    """`vote` (invited reviewers: decision approve|changes, note), `approve` (school administrators:
    from_intake_year), `reject` (note), `submit`, `revise`."""

    permission_classes = [HasRole.of(*REFORM_ROLES)]
    action = ""

    class InputSerializer(serializers.Serializer):
        decision = serializers.CharField(required=False, default="")
        note = serializers.CharField(required=False, allow_blank=True, default="")
        from_intake_year = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses={200: ReformOutput, **ERRORS})
    def post(self, request, reform_id: int):
        reform = reform_get_for_user(user=request.user, reform_id=reform_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        actor = request.user
        if self.action == "vote":
            reform_services.reform_vote(actor=actor, reform=reform, decision=d["decision"], note=d["note"])
        elif self.action == "approve":
            reform_services.reform_approve(actor=actor, reform=reform, from_intake_year=d["from_intake_year"],
                                           note=d["note"])
        elif self.action == "reject":
            reform_services.reform_reject(actor=actor, reform=reform, note=d["note"])
        elif self.action == "submit":
            reform_services.reform_submit(actor=actor, reform=reform)
        elif self.action == "revise":
            reform_services.reform_revise(actor=actor, reform=reform)
        reform.refresh_from_db()
        return Response(ReformOutput(reform).data)


class ReformImpactApi(APIView):
    """The impact preview: the cohort's mean attainment per competency before and after (dry run)."""

    permission_classes = [HasRole.of(*REFORM_PROPOSER_ROLES)]

    @extend_schema(parameters=[OpenApiParameter("program", int, description="default: the newest program")],
                   responses={200: inline_serializer("ReformImpact", {
                       "program": serializers.IntegerField(), "intake_year": serializers.IntegerField(),
                       "students": serializers.IntegerField(), "area_before": serializers.FloatField(),
                       "area_after": serializers.FloatField(),
                       "competencies": serializers.ListField(child=serializers.DictField())}), **ERRORS})
    def get(self, request, reform_id: int):
        reform = reform_get_for_user(user=request.user, reform_id=reform_id)
        programs = preview_programs(reform=reform)
        chosen = request.query_params.get("program")
        program = get_object_or_404(programs, pk=chosen) if chosen and chosen.isdigit() else programs.first()
        if program is None:
            raise Http404
        preview = reform_impact_preview(reform=reform, program=program)
        return Response({
            "program": program.pk, "intake_year": program.intake_year, "students": preview.cohort_size,
            "area_before": round(preview.area_before, 6), "area_after": round(preview.area_after, 6),
            "competencies": [{"code": a.code, "name": a.name, "before": round(a.before, 6),
                              "after": round(a.after, 6)} for a in preview.axes]})


class ResourceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    visibility = serializers.CharField()
    status = serializers.CharField()  # published, or (the uploader's and administrators' own view) pending / rejected
    course = serializers.CharField(source="course.code", default=None)
    major = serializers.CharField(source="major.code", default=None)
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    downloads = serializers.IntegerField()
    rating = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class CappedPagination(StandardPagination):
    django_paginator_class = CappedPaginator


class ResourceListApi(generics.ListAPIView):
    """Search the shared resources the user may see: `q`, `kind`, `course`, `major`, `competency`,
    `order` (new|downloads|rating). `count` stops at 1,001 (read: more than 1,000)."""

    permission_classes = [HasRole.of(*RESOURCE_ROLES)]
    pagination_class = CappedPagination
    serializer_class = ResourceOutput

    def get_queryset(self):
        p = self.request.query_params
        return resources_for_user(user=self.request.user, q=p.get("q", ""), kind=p.get("kind", ""),
                                  course_id=p.get("course"), major_id=p.get("major"),
                                  competency_id=p.get("competency"), order=p.get("order", "new"))

    @extend_schema(parameters=[OpenApiParameter(n, t) for n, t in (
        ("q", str), ("kind", str), ("course", int), ("major", int), ("competency", int), ("order", str))],
        responses={200: ResourceOutput(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.CharField(source="finding.offering.course.code")
    finding = serializers.CharField(source="finding.description")
    action = serializers.CharField()
    owner = serializers.CharField(source="owner.username")
    deadline = serializers.DateField()
    status = serializers.CharField()
    escalated_at = serializers.DateTimeField(allow_null=True)
    evidence_files = serializers.SerializerMethodField()

    @extend_schema_field(inline_serializer("EvidenceFileOutput", {
        "id": serializers.IntegerField(), "name": serializers.CharField(), "size": serializers.IntegerField(),
        "content_type": serializers.CharField(), "url": serializers.CharField()}, many=True))
    def get_evidence_files(self, obj) -> list[dict]:
        return [{"id": f.pk, "name": f.original_name, "size": f.size, "content_type": f.content_type,
                 "url": reverse("teachers:supervision_evidence_file", args=[f.pk])}
                for f in obj.evidence_files.all()]


class SupervisionTaskListApi(generics.ListAPIView):
    """Rectification tasks the user owns, filed or supervises (administrators: all)."""

    permission_classes = [HasRole.of(*SUPERVISION_ROLES)]
    pagination_class = StandardPagination
    serializer_class = TaskOutput

    def get_queryset(self):
        return tasks_for_user(user=self.request.user).prefetch_related("evidence_files").order_by("deadline", "id")

    @extend_schema(responses={200: TaskOutput(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SupervisionTaskActionApi(APIView):
    """`evidence` (the owner: note, and optionally up to 5 `files` as multipart/form-data,
    each checked by content, ≤ 20 MB; 413 when too large, 400 `task_closed` on a closed
    task — nothing is kept), `close` and `reopen` (supervisors: note)."""

    permission_classes = [HasRole.of(*SUPERVISION_ROLES)]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action = ""

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(required=False, allow_blank=True, default="")
        files = serializers.ListField(child=serializers.FileField(), required=False, default=list)

    @extend_schema(request={"application/json": InputSerializer, "multipart/form-data": InputSerializer},
                   responses={200: TaskOutput, 413: OpenApiResponse(description="a file is too large"), **ERRORS})
    def post(self, request, task_id: int):
        task = task_get_for_user(user=request.user, task_id=task_id)
        payload = request.data
        if hasattr(payload, "getlist"):  # multipart: several files under one name
            payload = {"note": payload.get("note", ""), "files": request.FILES.getlist("files")}
        data = self.InputSerializer(data=payload)
        data.is_valid(raise_exception=True)
        note = data.validated_data["note"]
        if self.action == "evidence":
            supervision_services.evidence_submit(actor=request.user, task=task, note=note,
                                                 files=data.validated_data["files"])
        elif data.validated_data["files"]:
            raise ValidationError({"files": [_("Files are attached to evidence only.")]})
        else:
            service = {"close": supervision_services.task_close, "reopen": supervision_services.task_reopen}[self.action]
            service(actor=request.user, task=task, note=note)
        task.refresh_from_db()
        return Response(TaskOutput(task).data)
