"""REST API of the talent market (docs/talent-market.md#api). Thin: parse with an
InputSerializer, call a selector or service, shape with an OutputSerializer."""

from __future__ import annotations

import math

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import HasRole
from students.selectors import student_get_for_user
from teachers.models import Major

from . import permissions as perms
from . import selectors, services
from .matching import best_postings_for_student, candidate_page, matches_for_posting, matches_for_student
from .models import Posting, PostingRequirement
from .search import candidate_filters_from, posting_filters_from

ERROR = OpenApiResponse(description='`{"error": {"status", "code", "message", "fields"?}}`')


class GapSerializer(serializers.Serializer):
    code = serializers.CharField()
    required = serializers.FloatField(min_value=0, max_value=1)
    importance = serializers.FloatField()
    attainment = serializers.FloatField(min_value=0, max_value=1, help_text="The radar API's number.")


class RequirementOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    required = serializers.FloatField()
    importance = serializers.FloatField()


class PostingOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    organization = serializers.CharField()
    city = serializers.CharField()
    salary_min = serializers.IntegerField(allow_null=True)
    salary_max = serializers.IntegerField(allow_null=True)
    headcount = serializers.IntegerField()
    majors = serializers.ListField(child=serializers.CharField())
    deadline = serializers.DateField()
    description = serializers.CharField()
    requirements = RequirementOutSerializer(many=True)
    fit = serializers.FloatField(allow_null=True, help_text="The signed-in student's fit (0..1); null for others.")


def posting_out(posting: Posting, match=None) -> dict:
    return {
        "id": posting.pk, "title": posting.title, "kind": posting.kind, "status": posting.status,
        "organization": posting.organization.name, "city": posting.city, "salary_min": posting.salary_min,
        "salary_max": posting.salary_max, "headcount": posting.headcount,
        "majors": [m.code for m in posting.majors.all()], "deadline": posting.deadline,
        "description": posting.description,
        "requirements": [{"code": r.competency.code, "name": r.competency.display_name, "required": r.minimum,
                          "importance": r.importance} for r in posting.requirements.all()],
        "fit": round(match.fit, 6) if match is not None else None,
    }


def _page_params(request, default: int = 20) -> tuple[int, int]:
    class PageInput(serializers.Serializer):
        page = serializers.IntegerField(min_value=1, default=1)
        page_size = serializers.IntegerField(min_value=1, max_value=200, default=default)

    params = PageInput(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data["page"], params.validated_data["page_size"]


def _paginated(request, *, count: int, page: int, page_size: int, results: list) -> dict:
    def link(number: int) -> str:
        query = request.query_params.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    pages = max(1, math.ceil(count / page_size))
    return {"count": count, "next": link(page + 1) if page < pages else None,
            "previous": link(page - 1) if page > 1 else None, "results": results}


def _paginated_schema(name: str, item) -> serializers.Serializer:
    return inline_serializer(name=name, fields={
        "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True), "results": item})


class PostingInputSerializer(serializers.Serializer):
    class RequirementIn(serializers.Serializer):
        competency = serializers.CharField(help_text="competency code (of one of the posting's majors)")
        minimum = serializers.FloatField(help_text="r_k in 0..1")
        importance = serializers.FloatField(default=1.0, help_text="v_k > 0")

    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Posting.Kind.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    city = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    salary_min = serializers.IntegerField(required=False, allow_null=True, default=None)
    salary_max = serializers.IntegerField(required=False, allow_null=True, default=None)
    headcount = serializers.IntegerField(default=1)
    majors = serializers.ListField(child=serializers.CharField(), allow_empty=False, help_text="major codes")
    deadline = serializers.DateField()
    requirements = RequirementIn(many=True, required=False, default=list)
    submit = serializers.BooleanField(default=False, help_text="submit for review at once")


def posting_data_from(validated: dict) -> services.PostingData:
    codes = validated["majors"]
    ids = dict(Major.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [c for c in codes if c not in ids]
    if unknown:
        raise ApplicationError(_("The submitted data is invalid."), code="invalid",
                               extra={"majors": [f"{_('Unknown major.')} {', '.join(unknown)}"]})
    return services.PostingData(
        title=validated["title"], kind=validated["kind"], deadline=validated["deadline"],
        major_ids=[ids[c] for c in codes], requirements=[dict(r) for r in validated["requirements"]],
        description=validated["description"], city=validated["city"], salary_min=validated["salary_min"],
        salary_max=validated["salary_max"], headcount=validated["headcount"])


POSTING_FILTERS = [OpenApiParameter("kind", str, enum=list(Posting.Kind.values)), OpenApiParameter("major", str),
                   OpenApiParameter("competency", str), OpenApiParameter("city", str),
                   OpenApiParameter("q", str, description="text in title, description or enterprise"),
                   OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


class PostingListApi(APIView):
    """`GET`: open postings (published, deadline not passed), newest first, filtered by
    kind, major, competency, city and text; students also get their fit on each.
    `POST` (enterprise staff): create a posting (a draft, or submitted with `submit`)."""

    def get_permissions(self):
        roles = perms.POSTING_OWNER_ROLES if self.request.method == "POST" else perms.POSTING_READER_ROLES
        return [HasRole.of(*roles)()]

    @extend_schema(operation_id="postings_list", parameters=POSTING_FILTERS, responses={200: _paginated_schema("PaginatedPostings",
                   PostingOutSerializer(many=True)), 400: ERROR})
    def get(self, request):
        page, page_size = _page_params(request)
        qs = selectors.postings_published(filters=posting_filters_from(request.query_params))
        count = qs.count()
        postings = list(qs[(page - 1) * page_size: page * page_size])
        matches = {}
        if request.user.role == Role.STUDENT and postings:
            matches = matches_for_student(selectors.student_for_user(user=request.user), postings)
        results = PostingOutSerializer([posting_out(p, matches.get(p.pk)) for p in postings], many=True).data
        return Response(_paginated(request, count=count, page=page, page_size=page_size, results=results))

    @extend_schema(operation_id="postings_create", request=PostingInputSerializer, responses={201: PostingOutSerializer, 400: ERROR, 403: ERROR})
    def post(self, request):
        data = PostingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = selectors.organization_for_user(user=request.user)
        if organization is None:
            raise PermissionDenied(_("You are not a member of an enterprise or an industry association."))
        posting = services.posting_create(actor=request.user, organization=organization,
                                          data=posting_data_from(data.validated_data),
                                          submit=data.validated_data["submit"])
        posting = selectors.posting_get_for_user(user=request.user, posting_id=posting.pk)
        return Response(PostingOutSerializer(posting_out(posting)).data, status=status.HTTP_201_CREATED)


class PostingDetailApi(APIView):
    """One posting: published ones for everyone signed in; drafts only for the owning
    enterprise; rejected and awaiting review also for school administrators."""

    permission_classes = [HasRole.of(*perms.POSTING_READER_ROLES)]

    @extend_schema(operation_id="posting_retrieve", responses={200: PostingOutSerializer, 404: ERROR})
    def get(self, request, posting_id: int):
        posting = selectors.posting_get_for_user(user=request.user, posting_id=posting_id)
        match = None
        if request.user.role == Role.STUDENT:
            match = matches_for_student(selectors.student_for_user(user=request.user), [posting])[posting.pk]
        return Response(PostingOutSerializer(posting_out(posting, match)).data)


class ApplicationOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    posting = serializers.IntegerField()
    stage = serializers.CharField()
    fit = serializers.FloatField()
    created_at = serializers.DateTimeField()


class PostingApplyApi(APIView):
    """A student applies with a cover note; the resume is frozen into the application.
    409 when they already applied; 400 with the reason when the posting is not open."""

    permission_classes = [HasRole.of(*perms.APPLICANT_ROLES)]

    class InputSerializer(serializers.Serializer):
        cover_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=3000)

    @extend_schema(operation_id="posting_apply", request=InputSerializer, responses={201: ApplicationOutSerializer, 400: ERROR, 404: ERROR,
                                                       409: ERROR})
    def post(self, request, posting_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        posting = selectors.posting_get_for_user(user=request.user, posting_id=posting_id)
        application = services.application_create(actor=request.user, posting=posting,
                                                  cover_note=data.validated_data["cover_note"])
        return Response(ApplicationOutSerializer({"id": application.pk, "posting": posting.pk,
                                                  "stage": application.stage, "fit": round(application.fit, 6),
                                                  "created_at": application.created_at}).data,
                        status=status.HTTP_201_CREATED)


class CandidateSerializer(serializers.Serializer):
    student_number = serializers.CharField()
    name = serializers.CharField()
    fit = serializers.FloatField(min_value=0, max_value=1)
    gaps = GapSerializer(many=True, help_text="one entry per requirement of the posting")


class PostingCandidatesApi(APIView):
    """Students ranked by fit for a posting (then points balance, then student number):
    for the owning enterprise, its applicants and the students whose resume is visible
    to it; for school administrators, every student of the posting's majors."""

    permission_classes = [HasRole.of(*perms.CANDIDATE_VIEWER_ROLES)]

    @extend_schema(operation_id="posting_candidates", parameters=[OpenApiParameter("major", str), OpenApiParameter("intake_year", int),
                               OpenApiParameter("competency", str), OpenApiParameter("min_attainment", float),
                               OpenApiParameter("tier", str), OpenApiParameter("page", int),
                               OpenApiParameter("page_size", int)],
                   responses={200: _paginated_schema("PaginatedCandidates", CandidateSerializer(many=True)),
                              400: ERROR, 404: ERROR})
    def get(self, request, posting_id: int):
        page, page_size = _page_params(request)
        if request.user.role == Role.SCHOOL_ADMIN:
            posting = selectors.posting_get_for_user(user=request.user, posting_id=posting_id)
            organization_id, partner = None, False
        else:
            posting = selectors.posting_get_for_user(user=request.user, posting_id=posting_id, manage=True)
            organization_id = posting.organization_id
            partner = selectors.organization_is_partner(organization_id=organization_id)
        filters = candidate_filters_from(request.query_params, posting=posting)
        count, rows = candidate_page(posting=posting, organization_id=organization_id, partner=partner,
                                     filters=filters, offset=(page - 1) * page_size, limit=page_size)
        results = candidate_results(posting, rows)
        return Response(_paginated(request, count=count, page=page, page_size=page_size,
                                   results=CandidateSerializer(results, many=True).data))


def candidate_results(posting: Posting, rows) -> list[dict]:
    from students.models import StudentProfile

    students = StudentProfile.objects.select_related("user").in_bulk([r.student_id for r in rows])
    matches = matches_for_posting(posting, [r.student_id for r in rows])
    return [{"student_number": r.student_number, "name": students[r.student_id].user.name_for_display,
             "fit": round(r.fit, 6), "gaps": [g.as_api() for g in matches[r.student_id].gaps]} for r in rows]


class PostingMatchSerializer(serializers.Serializer):
    posting = serializers.IntegerField()
    title = serializers.CharField()
    fit = serializers.FloatField(min_value=0, max_value=1)
    gaps = GapSerializer(many=True)


class StudentPostingMatchesApi(APIView):
    """The open postings a student fits best, best first (`limit`, default 20, at most
    100): for the student, their teachers and school administrators."""

    permission_classes = [HasRole.of(*perms.MATCH_VIEWER_ROLES)]

    @extend_schema(operation_id="student_posting_matches", parameters=[OpenApiParameter("limit", int)],
                   responses={200: PostingMatchSerializer(many=True), 400: ERROR, 403: ERROR, 404: ERROR})
    def get(self, request, student_number: str):
        class LimitInput(serializers.Serializer):
            limit = serializers.IntegerField(min_value=1, max_value=100, default=20)

        params = LimitInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        student = student_get_for_user(user=request.user, student_number=student_number)
        ranked = best_postings_for_student(student=student, limit=params.validated_data["limit"])
        requirements = Prefetch("requirements", queryset=PostingRequirement.objects.select_related("competency"))
        postings = Posting.objects.prefetch_related(requirements).in_bulk([pid for pid, _f in ranked])
        matches = matches_for_student(student, list(postings.values()))
        results = [{"posting": pid, "title": postings[pid].title, "fit": round(fit, 6),
                    "gaps": [g.as_api() for g in matches[pid].gaps]} for pid, fit in ranked]
        return Response(PostingMatchSerializer(results, many=True).data)
