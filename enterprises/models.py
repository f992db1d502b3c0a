"""The talent market: enterprise (and industry-association) profiles, members'
invitations, talent demand, postings with competency requirements, applications
and the career profile students write for employers. See docs/talent-market.md."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from students.models import JobFamily


class CooperationLevel(models.TextChoices):
    NONE = "none", _("No agreement")
    PARTNER = "partner", _("Partner")
    PRACTICE_BASE = "practice_base", _("Practice base")
    STRATEGIC = "strategic", _("Strategic agreement")


class CompanySize(models.TextChoices):
    MICRO = "micro", _("Fewer than 20 staff")
    SMALL = "small", _("20–99 staff")
    MEDIUM = "medium", _("100–999 staff")
    LARGE = "large", _("1,000 staff or more")


class EnterpriseProfile(models.Model):
    """What the school knows of an enterprise or an industry association (an
    `accounts.Organization` of kind enterprise or industry)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="enterprise_profile"
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    size = models.CharField(_("size"), max_length=20, choices=CompanySize.choices, default=CompanySize.SMALL)
    city = models.CharField(_("city"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    cooperation_level = models.CharField(
        _("cooperation level"), max_length=20, choices=CooperationLevel.choices, default=CooperationLevel.NONE
    )
    cooperation_starts = models.DateField(_("cooperation starts"), null=True, blank=True)
    cooperation_ends = models.DateField(_("cooperation ends"), null=True, blank=True)
    # Set by a school administrator: the enterprise's postings skip the review queue.
    auto_publish = models.BooleanField(_("trusted: publish without review"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(cooperation_ends__isnull=True) | Q(cooperation_starts__isnull=True)
                | Q(cooperation_ends__gte=models.F("cooperation_starts")),
                name="enterprise_cooperation_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def is_partner_on(self, day: datetime.date | None = None) -> bool:
        """A cooperation agreement in force on `day` (today by default)."""
        day = day or timezone.localdate()
        if self.cooperation_level == CooperationLevel.NONE:
            return False
        if self.cooperation_starts and self.cooperation_starts > day:
            return False
        return not (self.cooperation_ends and self.cooperation_ends < day)


class Invitation(models.Model):
    """An e-mailed link that adds a person to an organisation. The link carries a
    signed token of the invitation's id; accepting marks it used."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail"))
    title = models.CharField(_("title"), max_length=100, blank=True)
    is_manager = models.BooleanField(_("manager"), default=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization_id}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class TalentDemand(models.Model):
    """How many people of a position family an organisation expects to hire in a year,
    and at what competency level: the demand side of the course-reform analysis."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    position_family = models.CharField(_("position family"), max_length=20, choices=JobFamily.choices)
    major = models.ForeignKey("teachers.Major", on_delete=models.PROTECT, related_name="+")
    headcount = models.PositiveIntegerField(_("headcount"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("talent demand")
        verbose_name_plural = _("talent demand")
        ordering = ["-year", "position_family", "id"]
        indexes = [models.Index(fields=["organization", "year"]), models.Index(fields=["major", "year"])]
        constraints = [models.CheckConstraint(condition=Q(headcount__gt=0), name="demand_headcount_positive")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.position_family} ×{self.headcount}"


class DemandRequirement(models.Model):
    demand = models.ForeignKey(TalentDemand, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey("teachers.Competency", on_delete=models.CASCADE, related_name="+")
    minimum = models.FloatField(_("minimum attainment"))

    class Meta:
        ordering = ["demand", "competency__order"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "competency"], name="demand_requirement_unique"),
            models.CheckConstraint(condition=Q(minimum__gte=0) & Q(minimum__lte=1), name="demand_minimum_range"),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id}/{self.competency_id} ≥{self.minimum}"


class Posting(models.Model):
    class Kind(models.TextChoices):
        JOB = "job", _("Job")
        INTERNSHIP = "internship", _("Internship")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.JOB)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True, db_index=True)
    salary_min = models.PositiveIntegerField(_("monthly salary from (CNY)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("monthly salary to (CNY)"), null=True, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=1)
    majors = models.ManyToManyField("teachers.Major", related_name="+", verbose_name=_("majors"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Σ v_k·r_k over the requirements: the fit formula's denominator, kept by the services
    # so that the candidate query needs no second pass over the requirements.
    weight_total = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The list's order (newest first, then id) in full: with only published_at the
            # postings published in one moment (a batch, an import) were sorted on every page.
            models.Index(fields=["status", "-published_at", "-id"], name="posting_status_published_id"),
            models.Index(fields=["status", "deadline"], name="posting_status_deadline"),
            models.Index(fields=["organization", "status"], name="posting_org_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gt=0), name="posting_headcount_positive"),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_max__isnull=True) | Q(salary_max__gte=models.F("salary_min")),
                name="posting_salary_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.deadline >= timezone.localdate()


class PostingRequirement(models.Model):
    """r_k (minimum attainment, 0..1) and v_k (importance, > 0) of one competency."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey("teachers.Competency", on_delete=models.CASCADE, related_name="+")
    minimum = models.FloatField(_("minimum attainment"))
    importance = models.FloatField(_("importance"), default=1.0)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["posting", "competency__order", "competency__code"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "competency"], name="posting_requirement_unique"),
            models.CheckConstraint(condition=Q(minimum__gte=0) & Q(minimum__lte=1), name="posting_minimum_range"),
            models.CheckConstraint(condition=Q(importance__gt=0), name="posting_importance_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.posting_id}/{self.competency_id} ≥{self.minimum} ×{self.importance}"


class Visibility(models.TextChoices):
    ENTERPRISES = "enterprises", _("Every enterprise")
    PARTNERS = "partners", _("Partner enterprises only")
    HIDDEN = "hidden", _("Hidden (only enterprises I apply to)")


class CareerProfile(models.Model):
    """What a student writes for employers. Contact details are shown only to the
    organisations the student applied to."""

    student = models.OneToOneField("students.StudentProfile", on_delete=models.CASCADE, related_name="career_profile")
    photo = models.FileField(_("photo"), upload_to="career/photos/", blank=True)
    photo_content_type = models.CharField(max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=50, blank=True)
    introduction = models.TextField(_("self-introduction"), max_length=2000, blank=True)
    education = models.TextField(_("education"), max_length=2000, blank=True, help_text=_("One entry per line."))
    certificates = models.TextField(_("certificates"), max_length=2000, blank=True, help_text=_("One per line."))
    visibility = models.CharField(_("who may find my resume"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.HIDDEN, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("career profile")
        verbose_name_plural = _("career profiles")

    def __str__(self) -> str:
        return f"career {self.student_id}"

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class PortfolioItem(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF document")
        VIDEO = "video", _("Short video")

    profile = models.ForeignKey(CareerProfile, on_delete=models.CASCADE, related_name="portfolio")
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="career/portfolio/")
    content_type = models.CharField(max_length=50)
    size_bytes = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("portfolio item")
        verbose_name_plural = _("portfolio items")
        ordering = ["profile", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    class Stage(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INTERVIEW = "interview", _("Interview")
        OFFER = "offer", _("Offer")
        ACCEPTED = "accepted", _("Offer accepted")
        DECLINED = "declined", _("Offer declined")
        REJECTED = "rejected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="applications")
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="+")
    cover_note = models.TextField(_("cover note"), max_length=3000, blank=True)
    # The resume as it was when the student applied (career profile, radar, tags).
    snapshot = models.JSONField(default=dict)
    fit = models.FloatField(_("fit when applying"), default=0.0)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    rejection_reason = models.TextField(_("reason"), blank=True)
    interview_at = models.DateTimeField(_("interview time"), null=True, blank=True)
    interview_place = models.CharField(_("interview place or link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["posting", "student"], name="application_once_per_posting")]
        indexes = [models.Index(fields=["posting", "stage"]), models.Index(fields=["student", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.student_id} → {self.posting_id} ({self.stage})"

    ACTIVE = ("applied", "shortlisted", "interview", "offer")

    @property
    def is_active(self) -> bool:
        return self.stage in self.ACTIVE


class ApplicationEvent(models.Model):
    """The application's history, shown to both sides (never the private notes)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(max_length=20, choices=Application.Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.stage}"


class ApplicationNote(models.Model):
    """A private note of the enterprise's staff on an applicant; never shown to the student."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"note {self.application_id}"


VECTOR_AXES = 12


class CandidateVector(models.Model):
    """A student's radar as one row (a0…a11 in the major's axis order), so that ranking
    the students of a major for a posting is one pass over a narrow table instead of an
    aggregate over seven attainment rows per student. Derived data, rebuilt from
    students.CompetencyAttainment by enterprises.vectors (never edited by hand)."""

    student = models.OneToOneField("students.StudentProfile", on_delete=models.CASCADE, primary_key=True,
                                   related_name="+")
    major = models.ForeignKey("teachers.Major", on_delete=models.CASCADE, related_name="+", db_index=False)
    intake_year = models.PositiveSmallIntegerField()
    student_number = models.CharField(max_length=20)
    # CareerProfile.visibility, copied so the ranking filters without a join.
    visibility = models.CharField(max_length=20, default="hidden")
    a0 = models.FloatField(default=0.0)
    a1 = models.FloatField(default=0.0)
    a2 = models.FloatField(default=0.0)
    a3 = models.FloatField(default=0.0)
    a4 = models.FloatField(default=0.0)
    a5 = models.FloatField(default=0.0)
    a6 = models.FloatField(default=0.0)
    a7 = models.FloatField(default=0.0)
    a8 = models.FloatField(default=0.0)
    a9 = models.FloatField(default=0.0)
    a10 = models.FloatField(default=0.0)
    a11 = models.FloatField(default=0.0)

    class Meta:
        indexes = [models.Index(fields=["major", "intake_year"], name="candidate_vector_major")]

    def __str__(self) -> str:
        return f"vector {self.student_id}"


class CandidateVectorState(models.Model):
    """When a major's vectors were built, up to which student id, and from which radar
    state (the newest StudentRadar.computed_at and the number of students)."""

    major = models.OneToOneField("teachers.Major", on_delete=models.CASCADE, primary_key=True, related_name="+")
    built_at = models.DateTimeField()
    checked_at = models.DateTimeField()
    max_student_id = models.BigIntegerField(default=0)
    source_marker = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"vectors {self.major_id} @ {self.built_at}"


# Careers after graduation and employer feedback (enterprises/careers/) and internships
# (enterprises/internships/) live in their feature packages.
from .careers.models import (  # noqa: E402, F401
    Destination,
    DestinationCategory,
    EmployerFeedback,
    FeedbackRating,
    SalaryBand,
    SurveyRound,
)
from .internships.models import (  # noqa: E402, F401
    CheckIn,
    Grade,
    IntegrityFlag,
    InternshipSummary,
    LeaveRequest,
    LogPhoto,
    Message,
    Placement,
    Post,
    WeeklyLog,
)
