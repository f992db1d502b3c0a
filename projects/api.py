"""REST API of order-based projects: the catalogue, publishing and moderation, teams and
bids, selection, milestones and their deliverables, rating. Errors are `{"error": {...}}`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import ApplicationError
from accounts.models import Organization
from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination

from . import selectors, services
from .models import ProjectRating, Studio, Team
from .permissions import HOME_ROLES, MODERATE_ROLES, PUBLISH_ROLES, TEAM_ROLES, enterprise_ids_for_user
from .uploads import check_upload

ERRORS = {400: OpenApiResponse(description="Invalid input: `{\"error\": {code, message, fields}}`"),
          403: OpenApiResponse(description="Not allowed for this role or object"),
          404: OpenApiResponse(description="Not found, or not yours to see")}


class ProjectOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    enterprise = serializers.CharField(source="enterprise.name")
    enterprise_id = serializers.IntegerField()
    status = serializers.CharField()
    reward_points = serializers.IntegerField()
    reward_money = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    bid_deadline = serializers.DateTimeField()
    due_date = serializers.DateField()
    team_size_max = serializers.IntegerField()
    bid_count = serializers.IntegerField(required=False)
    selected_team = serializers.CharField(source="selected_team.name", allow_null=True, default=None)
    created_at = serializers.DateTimeField()


class ProjectDetailSerializer(ProjectOutputSerializer):
    brief = serializers.CharField()
    deliverables = serializers.CharField()
    moderation_note = serializers.CharField()
    required_competencies = serializers.SerializerMethodField()

    def get_required_competencies(self, project) -> list[dict]:
        return [{"id": c.pk, "code": c.code, "name": c.display_name} for c in project.required_competencies.all()]


class ProjectListCreateApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*HOME_ROLES)]

    class InputSerializer(serializers.Serializer):
        enterprise = serializers.IntegerField(required=False, help_text="defaults to the user's enterprise")
        title = serializers.CharField(max_length=200)
        title_en = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
        brief = serializers.CharField()
        deliverables = serializers.CharField()
        competencies = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
        reward_points = serializers.IntegerField(min_value=1, max_value=100000)
        reward_money = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True,
                                                min_value=0)
        bid_deadline = serializers.DateTimeField()
        due_date = serializers.DateField()
        team_size_max = serializers.IntegerField(min_value=1, max_value=50)
        submit = serializers.BooleanField(default=True, help_text="send to school moderation now")

    @extend_schema(responses={200: ProjectOutputSerializer(many=True), **ERRORS})
    def get(self, request):
        qs = selectors.project_list_for_user(user=request.user, status=request.query_params.get("status", ""),
                                             mine=request.query_params.get("mine") == "1")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ProjectOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ProjectDetailSerializer, **ERRORS})
    def post(self, request):
        if request.user.role not in PUBLISH_ROLES:
            raise ApplicationError(_("Only enterprises publish projects."), code="permission_denied", status_code=403)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        ids = enterprise_ids_for_user(request.user)
        enterprise_id = data.pop("enterprise", None) or (ids[0] if ids else None)
        enterprise = get_object_or_404(Organization, pk=enterprise_id or 0)
        project = services.project_create(actor=request.user, enterprise=enterprise,
                                          competency_ids=data.pop("competencies"), submit=data.pop("submit"), **data)
        project = selectors.project_get_for_user(user=request.user, project_id=project.pk)
        return Response(ProjectDetailSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectDetailApi(APIView):
    permission_classes = [HasRole.of(*HOME_ROLES)]

    @extend_schema(responses={200: ProjectDetailSerializer, **ERRORS})
    def get(self, request, project_id: int):
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        return Response(ProjectDetailSerializer(project).data)


class ProjectModerateApi(APIView):
    permission_classes = [HasRole.of(*MODERATE_ROLES)]

    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        note = serializers.CharField(required=False, default="", allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: ProjectDetailSerializer, **ERRORS})
    def post(self, request, project_id: int):
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.project_moderate(actor=request.user, project=project, **serializer.validated_data)
        return Response(ProjectDetailSerializer(project).data)


class BidOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_id = serializers.IntegerField()
    team_id = serializers.IntegerField()
    team = serializers.CharField(source="team.name")
    proposal = serializers.CharField()
    plan = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProjectBidsApi(APIView):
    """Enterprises see every bid on their projects; a team only its own bids."""
    pagination_class = StandardPagination  # documents the list as paginated

    permission_classes = [HasRole.of(*HOME_ROLES)]

    class InputSerializer(serializers.Serializer):
        team = serializers.IntegerField()
        proposal = serializers.CharField()
        plan = serializers.CharField()

    @extend_schema(responses={200: BidOutputSerializer(many=True), **ERRORS})
    def get(self, request, project_id: int):
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.bids_for_project(user=request.user, project=project), request,
                                           view=self)
        return paginator.get_paginated_response(BidOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: BidOutputSerializer, **ERRORS})
    def post(self, request, project_id: int):
        if request.user.role not in TEAM_ROLES:
            raise ApplicationError(_("Only student and teacher teams bid."), code="permission_denied", status_code=403)
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        team = selectors.team_get_for_user(user=request.user, team_id=data["team"])
        bid = services.bid_submit(actor=request.user, project=project, team=team, proposal=data["proposal"],
                                  plan=data["plan"])
        return Response(BidOutputSerializer(bid).data, status=status.HTTP_201_CREATED)


class BidListApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*HOME_ROLES)]

    @extend_schema(responses={200: BidOutputSerializer(many=True), **ERRORS})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.bid_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(BidOutputSerializer(page, many=True).data)


class MilestoneInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    description = serializers.CharField(required=False, default="", allow_blank=True)


class BidSelectApi(APIView):
    permission_classes = [HasRole.of(*PUBLISH_ROLES)]

    class InputSerializer(serializers.Serializer):
        milestones = MilestoneInput(many=True, required=False, default=list)

    @extend_schema(request=InputSerializer, responses={200: ProjectDetailSerializer, **ERRORS})
    def post(self, request, bid_id: int):
        bid = selectors.bid_get_for_user(user=request.user, bid_id=bid_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.bid_select(actor=request.user, bid=bid, milestones=serializer.validated_data["milestones"])
        return Response(ProjectDetailSerializer(selectors.project_get_for_user(user=request.user,
                                                                               project_id=project.pk)).data)


class MilestoneOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    due_date = serializers.DateField()
    status = serializers.CharField()
    review_comment = serializers.CharField()
    submissions = serializers.SerializerMethodField()

    def get_submissions(self, milestone) -> list[dict]:
        return [{"id": s.pk, "name": s.original_name, "content_type": s.content_type, "size": s.size_bytes,
                 "sha256": s.sha256, "created_at": s.created_at} for s in milestone.submissions.all()]


class ProjectMilestonesApi(APIView):
    permission_classes = [HasRole.of(*HOME_ROLES)]

    @extend_schema(responses={200: MilestoneOutputSerializer(many=True), **ERRORS})
    def get(self, request, project_id: int):
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        if not selectors.user_can_see_work(user=request.user, project=project):
            raise ApplicationError(_("Only the enterprise and the selected team see the milestones."),
                                   code="not_found", status_code=404)
        milestones = selectors.milestones_for_project(project=project)
        return Response(MilestoneOutputSerializer(milestones, many=True).data)


class MilestoneSubmitApi(APIView):
    permission_classes = [HasRole.of(*TEAM_ROLES)]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        note = serializers.CharField(required=False, default="", allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: MilestoneOutputSerializer, **ERRORS})
    def post(self, request, milestone_id: int):
        milestone = selectors.milestone_get_for_user(user=request.user, milestone_id=milestone_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.milestone_submit(actor=request.user, milestone=milestone,
                                  checked=check_upload(serializer.validated_data["file"]),
                                  note=serializer.validated_data["note"])
        milestone = selectors.milestones_for_project(project=milestone.project).get(pk=milestone.pk)
        return Response(MilestoneOutputSerializer(milestone).data, status=status.HTTP_201_CREATED)


class MilestoneReviewApi(APIView):
    permission_classes = [HasRole.of(*PUBLISH_ROLES)]

    class InputSerializer(serializers.Serializer):
        accept = serializers.BooleanField()
        comment = serializers.CharField(required=False, default="", allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: MilestoneOutputSerializer, **ERRORS})
    def post(self, request, milestone_id: int):
        milestone = selectors.milestone_get_for_user(user=request.user, milestone_id=milestone_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.milestone_review(actor=request.user, milestone=milestone, **serializer.validated_data)
        milestone = selectors.milestones_for_project(project=milestone.project).get(pk=milestone.pk)
        return Response(MilestoneOutputSerializer(milestone).data)


class ProjectRatingApi(APIView):
    permission_classes = [HasRole.of(*PUBLISH_ROLES)]

    class InputSerializer(serializers.Serializer):
        scores = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=5),
                                       help_text=f"one score 1–5 for each of {', '.join(ProjectRating.CRITERIA)}")
        comment = serializers.CharField(required=False, default="", allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: inline_serializer("ProjectRatingOutput", {
        "score": serializers.DecimalField(max_digits=5, decimal_places=2), "scores": serializers.DictField()}),
        **ERRORS})
    def post(self, request, project_id: int):
        project = selectors.project_get_for_user(user=request.user, project_id=project_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rating = services.project_rate(actor=request.user, project=project, **serializer.validated_data)
        return Response({"score": str(rating.score), "scores": rating.scores}, status=status.HTTP_201_CREATED)


class TeamOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    studio_id = serializers.IntegerField(allow_null=True)
    members = serializers.SerializerMethodField()

    def get_members(self, team: Team) -> list[dict]:
        return [{"username": m.user.username, "role": m.role, "share": m.share} for m in team.members.all()]


class TeamListCreateApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*TEAM_ROLES)]

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        members = serializers.ListField(child=serializers.CharField(max_length=150), required=False, default=list,
                                        help_text="usernames of the other members")
        studio = serializers.IntegerField(required=False, allow_null=True)
        shares = serializers.DictField(child=serializers.IntegerField(), required=False, default=dict)

    @extend_schema(responses={200: TeamOutputSerializer(many=True), **ERRORS})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.teams_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(TeamOutputSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: TeamOutputSerializer, **ERRORS})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        studio = get_object_or_404(Studio, pk=data["studio"]) if data.get("studio") else None
        team = services.team_create(actor=request.user, name=data["name"], member_usernames=data["members"],
                                    studio=studio, shares=data["shares"])
        return Response(TeamOutputSerializer(selectors.teams_for_user(user=request.user).get(pk=team.pk)).data,
                        status=status.HTTP_201_CREATED)


class StudioListApi(APIView):
    pagination_class = StandardPagination  # documents the list as paginated
    permission_classes = [HasRole.of(*HOME_ROLES)]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        code = serializers.CharField()
        title = serializers.CharField()
        title_en = serializers.CharField()
        skill_area = serializers.CharField()
        is_open = serializers.BooleanField()
        student_count = serializers.IntegerField()
        staff_count = serializers.IntegerField()

    @extend_schema(responses={200: OutputSerializer(many=True), **ERRORS})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.studio_list(), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)

