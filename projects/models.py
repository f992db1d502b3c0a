"""Studios, order-based projects, teams, bids, milestones, ratings and entrepreneurship
teams. Selection rounds, order classes and graduation design live in cohort_models.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualTitle(models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title


class Studio(BilingualTitle):
    """A studio per skill area, led by teachers with enterprise mentors."""

    class SkillArea(models.TextChoices):
        MARKETING = "marketing", _("Marketing")
        ART_DESIGN = "art_design", _("Art design")
        LIVE_COMMERCE = "live_commerce", _("Live-streaming e-commerce")
        DATA_ANALYSIS = "data_analysis", _("Data analysis")
        AI = "ai", _("Artificial intelligence")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    skill_area = models.CharField(_("skill area"), max_length=20, choices=SkillArea.choices, db_index=True)
    description = models.TextField(_("description"), blank=True)
    major = models.ForeignKey("teachers.Major", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_open = models.BooleanField(_("accepting applications"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        ordering = ["skill_area", "code"]


class StudioMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead teacher")
        MENTOR = "mentor", _("Enterprise mentor")
        STUDENT = "student", _("Student")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ADMITTED = "admitted", _("Admitted")
        DECLINED = "declined", _("Declined")

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studio_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    motivation = models.TextField(_("motivation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("studio member")
        verbose_name_plural = _("studio members")
        ordering = ["studio", "role", "created_at"]
        constraints = [models.UniqueConstraint(fields=["studio", "user"], name="studio_member_unique")]
        indexes = [models.Index(fields=["studio", "status", "role"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.studio}"


class Team(models.Model):
    """Teachers and students who bid for projects: from a studio or formed ad hoc."""

    name = models.CharField(_("name"), max_length=120)
    studio = models.ForeignKey(Studio, on_delete=models.SET_NULL, null=True, blank=True, related_name="teams")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")
        TEACHER = "teacher", _("Supervising teacher")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    # The member's share of the project's reward points (students only; relative weights).
    share = models.PositiveSmallIntegerField(_("share"), default=1)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class Project(BilingualTitle):
    """An order-based project an enterprise publishes for a school team."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Awaiting moderation")
        RETURNED = "returned", _("Returned by the school")
        OPEN = "open", _("Open for bids")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered, awaiting rating")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="enterprise_projects")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    brief = models.TextField(_("brief"))
    deliverables = models.TextField(_("deliverables"))
    required_competencies = models.ManyToManyField("teachers.Competency", blank=True, related_name="+",
                                                   verbose_name=_("required competencies"))
    reward_points = models.PositiveIntegerField(_("reward in points"))
    reward_money = models.DecimalField(_("reward in money (yuan)"), max_digits=10, decimal_places=2, null=True,
                                       blank=True)
    bid_deadline = models.DateTimeField(_("bid deadline"))
    due_date = models.DateField(_("delivery date"))
    team_size_max = models.PositiveSmallIntegerField(_("largest team"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    moderation_note = models.TextField(_("moderation note"), blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    selected_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="won_projects")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The enterprise case in the shared resource library the project was made from, if any.
    source_case = models.ForeignKey("teachers.Resource", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("from the enterprise case"))

    class Meta:
        verbose_name = _("order-based project")
        verbose_name_plural = _("order-based projects")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"]), models.Index(fields=["enterprise", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(team_size_max__gte=1), name="project_team_size_positive"),
        ]


class Bid(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="bids")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="bids")
    proposal = models.TextField(_("proposal"))
    plan = models.TextField(_("plan"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["project", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "team"], name="bid_unique_team")]

    def __str__(self) -> str:
        return f"{self.team} → {self.project}"


class Milestone(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned with comments")
        ACCEPTED = "accepted", _("Accepted")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="milestone_unique_order")]

    def __str__(self) -> str:
        return self.title


class StoredFile(models.Model):
    """An upload checked by content (projects/uploads.py). Names are for display only."""

    file = models.FileField(upload_to="projects/%Y/%m/")
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class MilestoneSubmission(StoredFile):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="submissions")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("milestone deliverable")
        verbose_name_plural = _("milestone deliverables")
        ordering = ["milestone", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class ProjectRating(models.Model):
    """The enterprise's rating of the delivered project on criteria (1–5 each)."""

    CRITERIA = ("quality", "timeliness", "communication", "innovation")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="rating")
    scores = models.JSONField(_("scores"))
    score = models.DecimalField(_("score (0–100)"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project rating")
        verbose_name_plural = _("project ratings")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.score}"


class Venture(models.Model):
    """A team registered as an entrepreneurship team (hatched in the school)."""

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROTOTYPE = "prototype", _("Prototype")
        REGISTERED = "registered", _("Company registered")
        OPERATING = "operating", _("Operating")

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="venture")
    business = models.TextField(_("business"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentored_ventures",
                               verbose_name=_("mentor"))
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entrepreneurship team")
        verbose_name_plural = _("entrepreneurship teams")
        ordering = ["-registered_at", "-id"]

    def __str__(self) -> str:
        return str(self.team)


class VentureMilestone(models.Model):
    venture = models.ForeignKey(Venture, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    achieved_on = models.DateField(_("achieved on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("entrepreneurship milestone")
        verbose_name_plural = _("entrepreneurship milestones")
        ordering = ["venture", "achieved_on", "id"]

    def __str__(self) -> str:
        return self.title


from .cohort_models import *  # noqa: E402,F403 - selection, order classes, graduation design
