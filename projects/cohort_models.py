"""Two-way selection rounds (one engine for order classes and graduation topics),
order classes and jointly supervised graduation design."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import BilingualTitle, StoredFile

__all__ = [
    "GraduationDesign",
    "GraduationStageGrade",
    "GraduationSubmission",
    "GraduationTopic",
    "OrderClass",
    "OrderClassMember",
    "SelectionApplication",
    "SelectionOption",
    "SelectionOutcome",
    "SelectionRound",
]


class OrderClass(BilingualTitle):
    """An enterprise-sponsored cohort (订单班) of one major."""

    class Status(models.TextChoices):
        RECRUITING = "recruiting", _("Recruiting")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                   related_name="sponsored_order_classes")
    major = models.ForeignKey("teachers.Major", on_delete=models.PROTECT, related_name="+")
    intake_year = models.PositiveSmallIntegerField(_("intake year"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    criteria = models.TextField(_("selection criteria"))
    description = models.TextField(_("description"), blank=True)
    courses = models.ManyToManyField("teachers.Course", blank=True, related_name="+",
                                     verbose_name=_("enterprise courses"))
    mentors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentored_order_classes",
                                     verbose_name=_("enterprise mentors"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECRUITING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order class")
        verbose_name_plural = _("order classes")
        ordering = ["-intake_year", "title"]
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="order_class_capacity")]


class OrderClassMember(models.Model):
    order_class = models.ForeignKey(OrderClass, on_delete=models.CASCADE, related_name="members")
    student = models.OneToOneField("students.StudentProfile", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("SelectionRound", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order-class member")
        verbose_name_plural = _("order-class members")
        ordering = ["order_class", "student__student_number"]

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.order_class_id}"


class GraduationTopic(BilingualTitle):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    description = models.TextField(_("description"))
    major = models.ForeignKey("teachers.Major", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("teachers.Course", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("graduation-design course"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="graduation_topics")
    source_project = models.ForeignKey("projects.Project", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="graduation_topics", verbose_name=_("from the project"))
    source_case = models.ForeignKey("teachers.Resource", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("from the enterprise case"))
    school_tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("school tutor"))
    enterprise_tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("enterprise tutor"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    # The school tutor's weight in each stage grade; the enterprise tutor has 1 - this.
    school_weight = models.DecimalField(_("school tutor's weight"), max_digits=3, decimal_places=2,
                                        default=Decimal("0.50"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("graduation topic")
        verbose_name_plural = _("graduation topics")
        ordering = ["major", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="topic_capacity"),
            models.CheckConstraint(condition=models.Q(school_weight__gte=0, school_weight__lte=1),
                                   name="topic_school_weight_range"),
        ]


class SelectionRound(models.Model):
    class Kind(models.TextChoices):
        ORDER_CLASS = "order_class", _("Order classes")
        GRADUATION = "graduation", _("Graduation topics")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for applications")
        RANKING = "ranking", _("Options rank their applicants")
        COMPUTED = "computed", _("Assignment computed")
        CONFIRMED = "confirmed", _("Confirmed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    number = models.PositiveSmallIntegerField(_("round"), default=1)
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_rounds")
    major = models.ForeignKey("teachers.Major", on_delete=models.PROTECT, related_name="+")
    intake_year = models.PositiveSmallIntegerField(_("intake year"))
    max_choices = models.PositiveSmallIntegerField(_("most choices per student"), default=10)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    apply_deadline = models.DateTimeField(_("application deadline"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SelectionOption(models.Model):
    """One thing students apply to in a round: an order class or a graduation topic."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="options")
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    order_class = models.ForeignKey(OrderClass, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    topic = models.ForeignKey(GraduationTopic, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("selection option")
        verbose_name_plural = _("selection options")
        ordering = ["round", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="option_capacity_positive"),
            models.CheckConstraint(
                condition=(models.Q(order_class__isnull=False, topic__isnull=True)
                           | models.Q(order_class__isnull=True, topic__isnull=False)),
                name="option_one_target"),
        ]

    def __str__(self) -> str:
        return str(self.target)

    @property
    def target(self):
        return self.order_class or self.topic


class SelectionApplication(models.Model):
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="applications")
    option = models.ForeignKey(SelectionOption, on_delete=models.CASCADE, related_name="applications")
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="+")
    student_rank = models.PositiveSmallIntegerField(_("student's rank"))
    option_rank = models.PositiveSmallIntegerField(_("option's rank"), null=True, blank=True)
    fit_score = models.DecimalField(_("fit"), max_digits=5, decimal_places=2, null=True, blank=True)
    interview_score = models.DecimalField(_("interview score"), max_digits=5, decimal_places=2, null=True,
                                          blank=True)
    statement = models.TextField(_("statement"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("selection application")
        verbose_name_plural = _("selection applications")
        ordering = ["round", "student", "student_rank"]
        constraints = [
            models.UniqueConstraint(fields=["option", "student"], name="application_unique_option"),
            models.UniqueConstraint(fields=["round", "student", "student_rank"], name="application_unique_rank"),
            models.CheckConstraint(condition=models.Q(student_rank__gte=1), name="application_rank_positive"),
        ]
        indexes = [models.Index(fields=["round", "student"])]

    def __str__(self) -> str:
        return f"{self.student_id} → {self.option_id} (#{self.student_rank})"


class SelectionOutcome(models.Model):
    """The computed assignment of one student in a round, with its explanation."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="outcomes")
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(SelectionOption, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    choice_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # [{"option": id, "student_rank": n, "reason": code, "cutoff_rank": n|null, "own_rank": n|null}]
    explanation = models.JSONField(default=list)

    class Meta:
        verbose_name = _("selection outcome")
        verbose_name_plural = _("selection outcomes")
        ordering = ["round", "student"]
        constraints = [models.UniqueConstraint(fields=["round", "student"], name="outcome_unique_student")]

    def __str__(self) -> str:
        return f"{self.student_id} → {self.option_id}"


class GraduationDesign(models.Model):
    """A student's graduation design on one topic, through its stages."""

    class Stage(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        MIDTERM = "midterm", _("Mid-term check")
        SUBMISSION = "submission", _("Submission")
        DEFENCE = "defence", _("Defence")
        FINISHED = "finished", _("Finished")

    # Weight of each graded stage in the final grade.
    STAGE_WEIGHTS = {"proposal": Decimal("0.15"), "midterm": Decimal("0.15"), "submission": Decimal("0.40"),
                     "defence": Decimal("0.30")}

    topic = models.ForeignKey(GraduationTopic, on_delete=models.PROTECT, related_name="designs")
    student = models.OneToOneField("students.StudentProfile", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PROPOSAL)
    final_score = models.DecimalField(_("final grade"), max_digits=5, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("graduation design")
        verbose_name_plural = _("graduation designs")
        ordering = ["topic", "student"]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.topic_id}"


class GraduationStageGrade(models.Model):
    class Grader(models.TextChoices):
        SCHOOL = "school", _("School tutor")
        ENTERPRISE = "enterprise", _("Enterprise tutor")

    design = models.ForeignKey(GraduationDesign, on_delete=models.CASCADE, related_name="stage_grades")
    stage = models.CharField(_("stage"), max_length=20, choices=GraduationDesign.Stage.choices)
    grader = models.CharField(_("grader"), max_length=20, choices=Grader.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    graded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stage grade")
        verbose_name_plural = _("stage grades")
        ordering = ["design", "stage", "grader"]
        constraints = [
            models.UniqueConstraint(fields=["design", "stage", "grader"], name="stage_grade_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="stage_grade_range"),
        ]

    def __str__(self) -> str:
        return f"{self.design_id} {self.stage}/{self.grader}: {self.score}"


class GraduationSubmission(StoredFile):
    design = models.ForeignKey(GraduationDesign, on_delete=models.CASCADE, related_name="submissions")
    stage = models.CharField(_("stage"), max_length=20, choices=GraduationDesign.Stage.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("graduation submission")
        verbose_name_plural = _("graduation submissions")
        ordering = ["design", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name
