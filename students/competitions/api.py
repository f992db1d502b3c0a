"""API of competitions and entries (the pages' twins): the list of competitions, a
student's own entries and their submission, the review queue of head teachers and
school administrators, one entry, and its review."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from accounts.permissions import HasRole
from platform_site.openapi import error_responses
from platform_site.pagination import StandardPagination
from teachers.models import Competency, Term

from .. import permissions as perms
from ..profiles.selectors import student_profile_for_user
from . import selectors, services
from .models import Competition, CompetitionEntry


class CompetitionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Competition.Level.choices)
    organizer = serializers.CharField()
    held_on = serializers.DateField()
    term = serializers.CharField(source="term.code", default=None, allow_null=True)
    competencies = serializers.SerializerMethodField()

    def get_competencies(self, obj) -> list[str]:
        return [c.code for c in obj.competencies.all()]


class EntryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    competition = serializers.IntegerField(source="competition_id")
    competition_name = serializers.CharField(source="competition.name")
    student_number = serializers.CharField(source="student.student_number")
    rank = serializers.ChoiceField(choices=CompetitionEntry.Rank.choices)
    status = serializers.ChoiceField(choices=CompetitionEntry.Status.choices)
    has_certificate = serializers.SerializerMethodField()
    review_note = serializers.CharField()
    verified_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_has_certificate(self, obj) -> bool:
        return bool(obj.certificate)


def _paginated(view: APIView, request, queryset, serializer_class) -> Response:
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class CompetitionListCreateApi(APIView):
    """Every competition (students, teachers, school admins); teachers and school
    admins create them."""

    permission_classes = [HasRole.of(*perms.COMPETITION_ROLES)]
    pagination_class = StandardPagination

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        level = serializers.ChoiceField(choices=Competition.Level.choices)
        held_on = serializers.DateField()
        organizer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        term = serializers.SlugRelatedField(slug_field="code", queryset=Term.objects.all(), required=False,
                                            allow_null=True, default=None)
        competencies = serializers.PrimaryKeyRelatedField(queryset=Competency.objects.all(), many=True,
                                                          required=False, default=list)

    @extend_schema(responses=CompetitionOutputSerializer(many=True))
    def get(self, request):
        return _paginated(self, request, selectors.competitions_list(), CompetitionOutputSerializer)

    @extend_schema(request=InputSerializer, responses={201: CompetitionOutputSerializer})
    def post(self, request):
        if request.user.role not in perms.COMPETITION_MANAGER_ROLES:
            self.permission_denied(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        competition = services.competition_create(actor=request.user, **serializer.validated_data)
        return Response(CompetitionOutputSerializer(competition).data, status=status.HTTP_201_CREATED)


class MyEntryListCreateApi(APIView):
    """The signed-in student's entries; a new one (multipart: the certificate is a
    file). A second entry for the same competition is a 409."""

    permission_classes = [HasRole.of(Role.STUDENT)]
    pagination_class = StandardPagination
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        competition = serializers.PrimaryKeyRelatedField(queryset=Competition.objects.all())
        rank = serializers.ChoiceField(choices=CompetitionEntry.Rank.choices)
        certificate = serializers.FileField(required=False, allow_null=True, default=None,
                                            help_text="PDF, PNG or JPEG, up to 5 MB.")

    @extend_schema(responses=EntryOutputSerializer(many=True))
    def get(self, request):
        student = student_profile_for_user(user=request.user)
        return _paginated(self, request, selectors.entries_for_student(student=student), EntryOutputSerializer)

    @extend_schema(request=InputSerializer, responses={201: EntryOutputSerializer, **error_responses(409)})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.entry_submit(actor=request.user, **serializer.validated_data)
        return Response(EntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class EntryReviewListApi(APIView):
    """Entries waiting for (or past) review: a teacher sees the classes they head, a
    school admin every class."""

    permission_classes = [HasRole.of(*perms.COMPETITION_MANAGER_ROLES)]
    pagination_class = StandardPagination

    @extend_schema(responses=EntryOutputSerializer(many=True))
    def get(self, request):
        return _paginated(self, request, selectors.entries_to_review_for(user=request.user), EntryOutputSerializer)


class EntryDetailApi(APIView):
    """One entry: its owner, the head teacher of the owner's class, a school admin;
    404 for everyone else (whether or not it exists)."""

    permission_classes = [HasRole.of(*perms.COMPETITION_ROLES)]

    @extend_schema(responses=EntryOutputSerializer)
    def get(self, request, entry_id: int):
        return Response(EntryOutputSerializer(selectors.entry_get_for_user(user=request.user, entry_id=entry_id)).data)


class EntryReviewApi(APIView):
    """Approve (points are granted) or reject a pending entry."""

    permission_classes = [HasRole.of(*perms.COMPETITION_MANAGER_ROLES)]

    class InputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(choices=["approve", "reject"])
        note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=EntryOutputSerializer)
    def post(self, request, entry_id: int):
        entry = selectors.entry_get_for_user(user=request.user, entry_id=entry_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.entry_review(actor=request.user, entry=entry,
                                      approve=serializer.validated_data["decision"] == "approve",
                                      note=serializer.validated_data["note"])
        return Response(EntryOutputSerializer(entry).data)
