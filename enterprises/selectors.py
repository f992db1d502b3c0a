"""Reads for the talent market, scoped per user. Every `<thing>_get_for_user` raises
404 when the object is not the user's to see (a posting of another enterprise, a
draft, someone else's application) so that ids reveal nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Organization, Role, User
from students.models import StudentProfile
from students.selectors import user_can_view_student

from .models import (
    Application,
    ApplicationNote,
    CareerProfile,
    EnterpriseProfile,
    Invitation,
    Posting,
    PostingRequirement,
    TalentDemand,
    Visibility,
)

MARKET_KINDS = (Organization.Kind.ENTERPRISE, Organization.Kind.INDUSTRY_ASSOCIATION)


# --- organisations --------------------------------------------------------------

def organization_for_user(*, user: User) -> Organization | None:
    """The enterprise or industry association the user works for (their first one)."""
    if not user.is_authenticated or user.role not in (Role.ENTERPRISE, Role.INDUSTRY):
        return None
    membership = (Membership.objects.select_related("organization").filter(
        user=user, organization__kind__in=MARKET_KINDS).order_by("joined_at", "id").first())
    return membership.organization if membership else None


def organization_required(*, user: User) -> Organization:
    organization = organization_for_user(user=user)
    if organization is None:
        raise Http404("You are not a member of an enterprise or an industry association.")
    return organization


def is_manager(*, user: User, organization: Organization) -> bool:
    return Membership.objects.filter(user=user, organization=organization, is_manager=True).exists()


def profile_for_organization(*, organization: Organization) -> EnterpriseProfile:
    """The stored profile, or an unsaved blank one (a read never writes)."""
    profile = EnterpriseProfile.objects.filter(organization=organization).first()
    return profile or EnterpriseProfile(organization=organization)


def organization_is_partner(*, organization_id: int) -> bool:
    profile = EnterpriseProfile.objects.filter(organization_id=organization_id).first()
    return bool(profile and profile.is_partner_on())


def members_for_organization(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user").order_by("-is_manager", "user__username")


def open_invitations(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organization=organization, accepted_at__isnull=True, revoked_at__isnull=True)


def demand_for_organization(*, organization: Organization) -> QuerySet[TalentDemand]:
    return (TalentDemand.objects.filter(organization=organization).select_related("major")
            .prefetch_related("requirements__competency"))


def demand_summary(*, year: int | None = None) -> list[dict]:
    """Headcount demanded per major, year and position family, for the course-reform
    analysis and dashboards (one aggregate query)."""
    from django.db.models import Sum

    qs = TalentDemand.objects.all()
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs.values("major__code", "year", "position_family").annotate(
        headcount=Sum("headcount"), organizations=Count("organization", distinct=True))
        .order_by("year", "major__code", "position_family"))


# --- postings ---------------------------------------------------------------------

def _posting_qs() -> QuerySet[Posting]:
    return (Posting.objects.select_related("organization", "organization__enterprise_profile")
            .prefetch_related("majors", Prefetch("requirements", queryset=PostingRequirement.objects
                                                 .select_related("competency")
                                                 .order_by("competency__order", "competency__code"))))


PUBLIC_STATUSES = (Posting.Status.PUBLISHED, Posting.Status.CLOSED, Posting.Status.EXPIRED)


def posting_get_for_user(*, user: User, posting_id: int, manage: bool = False) -> Posting:
    """Members of the owning organisation see every state and may manage it; school
    administrators see everything but drafts; everyone else only published (and
    closed or expired) postings. Anything else is a 404."""
    posting = get_object_or_404(_posting_qs(), pk=posting_id)
    organization = organization_for_user(user=user)
    owner = organization is not None and organization.pk == posting.organization_id
    if manage:
        if not owner:
            raise Http404
        return posting
    if owner:
        return posting
    if user.role == Role.SCHOOL_ADMIN and posting.status != Posting.Status.DRAFT:
        return posting
    if posting.status in PUBLIC_STATUSES:
        return posting
    raise Http404


@dataclass
class PostingFilters:
    kind: str | None = None
    major_id: int | None = None
    competency_id: int | None = None
    city: str | None = None
    text: str | None = None
    organization_id: int | None = None


def postings_published(*, filters: PostingFilters | None = None) -> QuerySet[Posting]:
    """Open postings (published, deadline not passed), newest first."""
    from django.utils import timezone

    filters = filters or PostingFilters()
    qs = _posting_qs().filter(status=Posting.Status.PUBLISHED, deadline__gte=timezone.localdate())
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.major_id:
        qs = qs.filter(pk__in=Posting.majors.through.objects.filter(major_id=filters.major_id).values("posting_id"))
    if filters.competency_id:
        qs = qs.filter(pk__in=PostingRequirement.objects.filter(competency_id=filters.competency_id)
                       .values("posting_id"))
    if filters.city:
        qs = qs.filter(city__icontains=filters.city)
    if filters.text:
        qs = qs.filter(Q(title__icontains=filters.text) | Q(description__icontains=filters.text)
                       | Q(organization__name__icontains=filters.text))
    if filters.organization_id:
        qs = qs.filter(organization_id=filters.organization_id)
    return qs.order_by("-published_at", "-id")


def postings_for_organization(*, organization: Organization) -> QuerySet[Posting]:
    stage_counts = {f"n_{stage}": Count("applications", filter=Q(applications__stage=stage))
                    for stage in Application.Stage.values}
    return (Posting.objects.filter(organization=organization).prefetch_related("majors")
            .annotate(**stage_counts).order_by("-updated_at", "-id"))


def moderation_queue() -> QuerySet[Posting]:
    return _posting_qs().filter(status=Posting.Status.SUBMITTED).order_by("submitted_at", "id")


def recently_moderated(limit: int = 10) -> list[Posting]:
    return list(Posting.objects.filter(status__in=[Posting.Status.PUBLISHED, Posting.Status.REJECTED],
                                       reviewed_by__isnull=False).select_related("organization", "reviewed_by")
                .order_by("-updated_at", "-id")[:limit])


# --- applications -------------------------------------------------------------------

def _application_qs() -> QuerySet[Application]:
    return Application.objects.select_related("posting", "posting__organization", "student", "student__user",
                                              "student__major", "student__school_class")


def application_get_for_user(*, user: User, application_id: int) -> Application:
    application = get_object_or_404(_application_qs(), pk=application_id)
    if user.role == Role.STUDENT and application.student.user_id == user.pk:
        return application
    organization = organization_for_user(user=user)
    if user.role == Role.ENTERPRISE and organization is not None and organization.pk == application.posting.organization_id:
        return application
    if user.role == Role.SCHOOL_ADMIN:
        return application
    raise Http404


def applications_for_student(*, student: StudentProfile) -> QuerySet[Application]:
    return _application_qs().filter(student=student).order_by("-updated_at", "-id")


def applications_for_posting(*, posting: Posting, stage: str | None = None) -> QuerySet[Application]:
    qs = _application_qs().filter(posting=posting)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.order_by("-fit", "student__student_number")


def applications_for_organization(*, organization: Organization, limit: int = 10) -> list[Application]:
    return list(_application_qs().filter(posting__organization=organization).order_by("-updated_at", "-id")[:limit])


def notes_for_application(*, application: Application) -> QuerySet[ApplicationNote]:
    return application.notes.select_related("author")


# --- students, as employers see them --------------------------------------------------

def career_profile_for(*, student: StudentProfile) -> CareerProfile:
    """The stored career profile, or an unsaved blank one (a read never writes)."""
    profile = CareerProfile.objects.filter(student=student).prefetch_related("portfolio").first()
    return profile or CareerProfile(student=student)


@dataclass
class StudentAccess:
    student: StudentProfile
    contact: bool       # contact details (the organisation is one the student applied to)
    organization: Organization | None


def student_access_for_user(*, user: User, student_number: str) -> StudentAccess:
    """An employer's view of a student: their applicants always (with contact details),
    students whose resume is visible to every enterprise, and, when the organisation is
    a partner in force, those visible to partners. School staff who may see the student
    see everything. Anyone else: 404."""
    student = get_object_or_404(StudentProfile.objects.select_related("user", "major", "school_class"),
                                student_number=student_number)
    if user.role == Role.ENTERPRISE:
        organization = organization_for_user(user=user)
        if organization is None:
            raise Http404
        if Application.objects.filter(student=student, posting__organization=organization).exists():
            return StudentAccess(student, True, organization)
        visibility = CareerProfile.objects.filter(student=student).values_list("visibility", flat=True).first()
        if visibility == Visibility.ENTERPRISES or (
                visibility == Visibility.PARTNERS and organization_is_partner(organization_id=organization.pk)):
            return StudentAccess(student, False, organization)
        raise Http404
    if user.role in (Role.STUDENT, Role.TEACHER, Role.SCHOOL_ADMIN) and user_can_view_student(user=user, student=student):
        return StudentAccess(student, True, None)
    raise Http404


def student_for_user(*, user: User) -> StudentProfile:
    """The signed-in student's profile, or 404 for an account not linked to one."""
    profile = StudentProfile.objects.select_related("major", "school_class", "user").filter(user=user).first()
    if profile is None:
        raise Http404("No student profile.")
    return profile
