"""The four-in-one evaluation: rubric templates (versioned), rounds on a generic subject,
invitations by party, submissions, immutable results, appeals and joint rewards.

The scoring rules are in evaluations/scoring.py; the subject types that can be evaluated
are registered in evaluations/subjects.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teachers.models import BilingualNameMixin


class Party(models.TextChoices):
    TEACHER = "teacher", _("School teacher")
    MENTOR = "mentor", _("Enterprise mentor")
    MASTER = "master", _("Industry master")
    PEER = "peer", _("Peers")
    SELF = "self", _("Self-evaluation")


# The parties whose scores count (a self-evaluation is shown beside the result, never counted).
SCORED_PARTIES = (Party.TEACHER, Party.MENTOR, Party.MASTER, Party.PEER)


class RubricTemplate(BilingualNameMixin):
    """One version of a rubric. Versions of the same template share `family`; a round keeps
    the version it opened with, and editing a version that rounds use creates the next one."""

    family = models.SlugField(_("template code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    major = models.ForeignKey("teachers.Major", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("major"))
    excellent_threshold = models.DecimalField(_("excellent from score"), max_digits=5, decimal_places=2,
                                              null=True, blank=True)
    excellent_top_share = models.DecimalField(_("excellent top share of the cohort"), max_digits=4,
                                              decimal_places=3, null=True, blank=True)
    reward_points = models.PositiveIntegerField(_("points for an excellent result (at 100)"), default=50)
    appeal_days = models.PositiveSmallIntegerField(_("appeal window (days)"), default=7)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rubric template")
        verbose_name_plural = _("rubric templates")
        ordering = ["family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="rubric_template_unique_version"),
            models.UniqueConstraint(fields=["family"], condition=Q(is_current=True), name="rubric_template_one_current"),
        ]


class RubricParty(models.Model):
    template = models.ForeignKey(RubricTemplate, on_delete=models.CASCADE, related_name="parties")
    party = models.CharField(_("party"), max_length=10, choices=[c for c in Party.choices if c[0] != Party.SELF])
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=3)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["template", "party"]
        constraints = [
            models.UniqueConstraint(fields=["template", "party"], name="rubric_party_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=1), name="rubric_party_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.weight}"


class RubricDimension(BilingualNameMixin):
    template = models.ForeignKey(RubricTemplate, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=40)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=3)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="rubric_dimension_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=1), name="rubric_dimension_weight_range"),
        ]


class RubricCriterion(BilingualNameMixin):
    """A sub-criterion of a dimension; the dimension's score is the weighted mean of its criteria."""

    dimension = models.ForeignKey(RubricDimension, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=3)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["dimension", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="rubric_criterion_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=1), name="rubric_criterion_weight_range"),
        ]


class DimensionCompetency(models.Model):
    """How much a dimension speaks for a competency of the major (the radar's axes)."""

    dimension = models.ForeignKey(RubricDimension, on_delete=models.CASCADE, related_name="competency_links")
    competency = models.ForeignKey("teachers.Competency", on_delete=models.CASCADE, related_name="+")
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=3)

    class Meta:
        ordering = ["dimension", "competency__order"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "competency"], name="dimension_competency_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="dimension_competency_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension_id} → {self.competency_id}: {self.weight}"


class PracticeActivity(models.Model):
    """A practice activity that is not (yet) a record of another app: an internship post,
    a project, a graduation-design stage or a studio term entered by its organiser. The apps
    that own those records register their own models in evaluations/subjects.py."""

    class Kind(models.TextChoices):
        INTERNSHIP = "internship", _("Internship post")
        PROJECT = "project", _("Project")
        GRADUATION = "graduation", _("Graduation-design stage")
        STUDIO = "studio", _("Studio term")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practice activity")
        verbose_name_plural = _("practice activities")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SubjectCredit(models.Model):
    """The credit-like weight of one subject type's results on the radar (set by school administrators)."""

    subject_kind = models.CharField(_("subject type"), max_length=40, unique=True)
    credit = models.DecimalField(_("credit"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("practice credit")
        verbose_name_plural = _("practice credits")
        constraints = [models.CheckConstraint(condition=Q(credit__gte=0), name="subject_credit_non_negative")]

    def __str__(self) -> str:
        return f"{self.subject_kind}: {self.credit}"


class Round(models.Model):
    """One student evaluated on one subject by the invited parties."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        FINALISED = "finalised", _("Finalised")
        CLOSED = "closed", _("Closed")
        LAPSED = "lapsed", _("Lapsed (no quorum)")

    template = models.ForeignKey(RubricTemplate, on_delete=models.PROTECT, related_name="rounds")
    # No single-column indexes on subject_type and student: the (subject_type, subject_id)
    # and (student, status) indexes below lead with them, and every index is one more
    # write when finalisation updates 10,000 rounds (docs/benchmarks.md#evaluations-issue-13).
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    subject_id = models.PositiveBigIntegerField()
    subject_kind = models.CharField(_("subject type"), max_length=40)
    subject_title = models.CharField(_("subject"), max_length=250)
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    deadline = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    appeal_closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    current_result = models.ForeignKey("Result", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["student", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject_title} · {self.student_id}"


class Invitation(models.Model):
    """A rater invited to a round for one party; at most one submission each."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluation_invitations")
    party = models.CharField(_("party"), max_length=10, choices=Party.choices)
    invited_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "party", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "rater"], name="invitation_unique_rater")]
        indexes = [models.Index(fields=["rater", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.party}/{self.rater_id}"


class Submission(models.Model):
    """A rater's scores: per sub-criterion (or per dimension without criteria), 0..100, the
    weighted dimension scores and their weighted total, and a comment per dimension."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="submission")
    criterion_scores = models.JSONField(default=dict)
    dimension_scores = models.JSONField(default=dict)
    comments = models.JSONField(default=dict, blank=True)
    total = models.FloatField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=100),
                                              name="submission_total_range")]

    def __str__(self) -> str:
        return f"{self.invitation_id}: {self.total:.1f}"


class Result(models.Model):
    """A finalised result: immutable. A re-finalisation after an upheld appeal adds a new
    version and moves the round's `current_result`; the earlier one stays as it was."""

    # Indexed by the unique (round, version) constraint, which leads with it.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results", db_index=False)
    version = models.PositiveSmallIntegerField(default=1)
    final = models.FloatField()
    parties = models.JSONField(default=list)  # [{party, weight, score, raters, counted}]
    dimensions = models.JSONField(default=list)  # [{code, score}]
    flags = models.JSONField(default=list, blank=True)  # [{party, score, others_mean, deviation}]
    self_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="result_unique_version"),
            models.CheckConstraint(condition=Q(final__gte=0) & Q(final__lte=100), name="result_final_range"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} v{self.version}: {self.final:.1f}"

    @property
    def parties_counted(self) -> list[str]:
        return [p["party"] for p in self.parties if p.get("counted")]


class Appeal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        REJECTED = "rejected", _("Rejected")
        REOPENED = "reopened", _("Reopened")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="appeals")
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    reopened_party = models.CharField(max_length=10, choices=Party.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["result"], name="appeal_one_per_result")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.status}"


class Reward(models.Model):
    """The joint reward of an excellent result: points, a certificate and a resume line."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="reward")
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="+")
    points = models.IntegerField(default=0)
    certificate_number = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.certificate_number
