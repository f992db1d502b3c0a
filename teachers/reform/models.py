"""Course reform: a proposed new version of a course, reviewed by industry and enterprise
experts, approved by a school administrator and applied to programs from an intake year on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseContent(models.Model):
    """What a version of a course says: the sections a reform changes and reviewers comment on.

    modules:    [{"title": str, "hours": int, "content": str}]   training modules
    components: [{"code": slug, "name": str, "weight": "30"}]    assessment (weights sum to 100)
    weights:    {competency code: "1.00"}                        a_ck for the course's major
    """

    objectives = models.TextField(_("objectives"), blank=True)
    modules = models.JSONField(_("training modules"), default=list, blank=True)
    components = models.JSONField(_("assessment components"), default=list, blank=True)
    weights = models.JSONField(_("competency weights"), default=dict, blank=True)
    credits = models.DecimalField(_("credits"), max_digits=4, decimal_places=1)

    class Meta:
        abstract = True


class CourseVersion(CourseContent):
    """An approved version. The version in force for a program of intake year Y is the
    highest-numbered one with applies_from_intake <= Y; none means the original course."""

    course = models.ForeignKey("teachers.Course", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    applies_from_intake = models.PositiveSmallIntegerField(_("applies from intake year"))
    reform = models.OneToOneField("teachers.Reform", on_delete=models.PROTECT, related_name="version",
                                  null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course version")
        verbose_name_plural = _("course versions")
        ordering = ["course", "-number"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="course_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.course.code} v{self.number}"


class Reform(CourseContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")

    course = models.ForeignKey("teachers.Course", on_delete=models.CASCADE, related_name="reforms")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_reforms")
    title = models.CharField(_("title"), max_length=200)
    rationale = models.TextField(_("rationale"), blank=True)
    focus_competency = models.SlugField(_("competency in focus"), max_length=40, blank=True,
                                        help_text=_("Set when the reform answers a demand gap."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    base_version = models.ForeignKey(CourseVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_intake_year = models.PositiveSmallIntegerField(_("applies from intake year"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course reform")
        verbose_name_plural = _("course reforms")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReformReviewer(models.Model):
    reform = models.ForeignKey(Reform, on_delete=models.CASCADE, related_name="reviewers")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reform_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reform", "reviewer"], name="reform_reviewer_unique")]

    def __str__(self) -> str:
        return f"{self.reform_id} ← {self.reviewer_id}"


class ReformComment(models.Model):
    class Section(models.TextChoices):
        GENERAL = "general", _("General")
        OBJECTIVES = "objectives", _("Objectives")
        MODULES = "modules", _("Training modules")
        COMPONENTS = "components", _("Assessment components")
        WEIGHTS = "weights", _("Competency weights")
        CREDITS = "credits", _("Credits")

    reform = models.ForeignKey(Reform, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.reform_id} [{self.section}]"


class ReformVote(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        CHANGES = "changes", _("Request changes")

    reform = models.ForeignKey(Reform, on_delete=models.CASCADE, related_name="votes")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    voted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reform", "reviewer"], name="reform_vote_unique")]

    def __str__(self) -> str:
        return f"{self.reform_id} {self.reviewer_id}: {self.decision}"
