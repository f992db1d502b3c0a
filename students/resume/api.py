"""API of the visual resume (the pages' twins): the owner's resume and settings, the
share link, the list of resumes made visible to enterprises, and one student's resume
as a non-owner sees it."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRole
from platform_site.pagination import StandardPagination

from .. import permissions as perms
from ..profiles.selectors import student_profile_for_user
from . import selectors, services
from .models import ResumeSection


class RadarAxisSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField()


class GrowthSerializer(serializers.Serializer):
    term = serializers.CharField()
    points = serializers.IntegerField()


class AwardSerializer(serializers.Serializer):
    competition = serializers.CharField(source="competition.name")
    level = serializers.CharField(source="competition.level")
    held_on = serializers.DateField(source="competition.held_on")
    rank = serializers.CharField()


class ContributedSerializer(serializers.Serializer):
    title = serializers.CharField()
    section = serializers.CharField(allow_null=True)
    lines = serializers.ListField(child=serializers.CharField())


class ResumeSerializer(serializers.Serializer):
    """The sections the reader may see; a section they may not see is absent (null)."""

    student_number = serializers.CharField()
    name = serializers.CharField()
    headline = serializers.CharField()
    major = serializers.CharField(allow_null=True)
    school_class = serializers.CharField(allow_null=True)
    sections = serializers.ListField(child=serializers.ChoiceField(choices=ResumeSection.choices))
    radar = RadarAxisSerializer(many=True, allow_null=True)
    growth = GrowthSerializer(many=True, allow_null=True)
    points_total = serializers.IntegerField(allow_null=True)
    tier = serializers.CharField(allow_null=True)
    awards = AwardSerializer(many=True, allow_null=True)
    contributed = ContributedSerializer(many=True)


def resume_body(ctx: dict) -> dict:
    """A resume page's context (selectors.resume_context) as plain JSON."""
    student = ctx["student"]
    return ResumeSerializer({
        "student_number": student.student_number,
        "name": ctx["name"],
        "headline": ctx["headline"],
        "major": getattr(student.major, "code", None),
        "school_class": getattr(student.school_class, "code", None),
        "sections": [s for s in ResumeSection.values if s in ctx["sections"]],
        "radar": ctx.get("radar"),
        "growth": ctx.get("growth"),
        "points_total": ctx.get("points_total"),
        "tier": ctx["tier"].tier if ctx.get("tier") is not None else None,
        "awards": ctx.get("awards"),
        "contributed": [{"title": str(item.get("title", "")), "section": item.get("section"),
                         "lines": [str(line) for line in item.get("pdf_lines", [])]} for item in ctx["contributed"]],
    }).data


class ResumeSettingsSerializer(serializers.Serializer):
    public_sections = serializers.ListField(child=serializers.ChoiceField(choices=ResumeSection.choices))
    visible_to_enterprises = serializers.BooleanField()
    headline = serializers.CharField(max_length=200, allow_blank=True)
    share_url = serializers.URLField(allow_null=True)


def _settings_body(request, settings_obj) -> dict:
    token = settings_obj.share_token
    return ResumeSettingsSerializer({
        "public_sections": list(settings_obj.public_sections or []),
        "visible_to_enterprises": settings_obj.visible_to_enterprises,
        "headline": settings_obj.headline,
        "share_url": request.build_absolute_uri(reverse("students:resume_shared", args=[token])) if token else None,
    }).data


class MyResumeApi(APIView):
    """The student's own resume (every section) and its settings; PATCH changes the
    settings (which sections are public, visibility to enterprises, the headline)."""

    permission_classes = [HasRole.of(*perms.RESUME_OWNER_ROLES)]

    class OutputSerializer(serializers.Serializer):
        resume = ResumeSerializer()
        settings = ResumeSettingsSerializer()

    class InputSerializer(serializers.Serializer):
        public_sections = serializers.ListField(child=serializers.ChoiceField(choices=ResumeSection.choices),
                                                required=False, max_length=len(ResumeSection.values))
        visible_to_enterprises = serializers.BooleanField(required=False)
        headline = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def _body(self, request, student) -> dict:
        ctx = selectors.resume_context(student=student)
        return {"resume": resume_body(ctx), "settings": _settings_body(request, ctx["settings"])}

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        return Response(self._body(request, student_profile_for_user(user=request.user)))

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def patch(self, request):
        student = student_profile_for_user(user=request.user)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        current = selectors.resume_settings_read(student=student)
        data = serializer.validated_data
        services.resume_settings_update(
            actor=request.user, student=student,
            public_sections=data.get("public_sections", list(current.public_sections or [])),
            visible_to_enterprises=data.get("visible_to_enterprises", current.visible_to_enterprises),
            headline=data.get("headline", current.headline))
        return Response(self._body(request, student))


class MyResumeShareApi(APIView):
    """POST: a new share link (an older one stops working). DELETE: no link any more."""

    permission_classes = [HasRole.of(*perms.RESUME_OWNER_ROLES)]

    @extend_schema(request=None, responses={201: ResumeSettingsSerializer})
    def post(self, request):
        settings_obj = services.resume_share_create(actor=request.user,
                                                    student=student_profile_for_user(user=request.user))
        return Response(_settings_body(request, settings_obj), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="the link no longer works")})
    def delete(self, request):
        services.resume_share_revoke(actor=request.user, student=student_profile_for_user(user=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResumeListApi(APIView):
    """Resumes students made visible to enterprises (enterprises, school admins)."""

    permission_classes = [HasRole.of(*perms.RESUME_LIST_ROLES)]
    pagination_class = StandardPagination

    class OutputSerializer(serializers.Serializer):
        student_number = serializers.CharField()
        name = serializers.CharField(source="user.name_for_display")
        major = serializers.CharField(source="major.code", default=None, allow_null=True)
        headline = serializers.CharField(source="resume_settings.headline", default="")

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.resumes_visible_to_enterprises(), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class StudentResumeApi(APIView):
    """One student's resume as the reader may see it: enterprises the public sections of
    a resume made visible to them; the head teacher and school admins all of it. 404
    for everyone else, as for a student number that does not exist."""

    permission_classes = [HasRole.of(*perms.RESUME_BROWSER_ROLES)]

    @extend_schema(responses=ResumeSerializer)
    def get(self, request, student_number: str):
        student, sections = selectors.resume_for_viewer(user=request.user, student_number=student_number)
        return Response(resume_body(selectors.resume_context(student=student, sections=sections)))
