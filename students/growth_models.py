"""Student growth: points ledger, tiers, competitions and awards, stars of skills,
the visual resume and the employment outlook (issue 4).

Kept apart from models.py so the radar models (issue 3) and these evolve without
stepping on each other; models.py re-exports them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PointSource(models.TextChoices):
    COURSE_GRADE = "course_grade", _("Course grade")
    COMPETITION_AWARD = "competition_award", _("Competition award")
    PROJECT_DELIVERY = "project_delivery", _("Project delivery")
    EVALUATION_RESULT = "evaluation_result", _("Evaluation result")
    CHALLENGE_RANK = "challenge_rank", _("Challenge rank")
    INTERNSHIP_LOG = "internship_log", _("Internship log")
    TEACHER_AWARD = "teacher_award", _("Teacher award")


class PointRule(models.Model):
    """A configurable rule for automatic points: `source` + `key` -> amount.

    Keys: course grades by band (`A` >= 90, `B` >= 80, `C` >= 70, `D` >= 60),
    awards by `<level>:<rank>` (e.g. `national:first`)."""

    source = models.CharField(_("source"), max_length=30, choices=PointSource.choices)
    key = models.CharField(_("key"), max_length=60)
    amount = models.IntegerField(_("points"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["source", "key"]
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="point_rule_unique_key")]

    def __str__(self) -> str:
        return f"{self.source}:{self.key} = {self.amount}"


class PointEntry(models.Model):
    """One immutable line of the ledger. A correction is a new negative entry
    pointing at the one it reverses; entries are never edited."""

    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="point_entries")
    source = models.CharField(_("source"), max_length=30, choices=PointSource.choices)
    amount = models.IntegerField(_("points"))
    competency = models.ForeignKey(
        "teachers.Competency", on_delete=models.SET_NULL, null=True, blank=True, related_name="point_entries"
    )
    term = models.ForeignKey("teachers.Term", on_delete=models.PROTECT, null=True, blank=True, related_name="point_entries")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A source text (msgid) rendered in the reader's language with reason_params, or
    # free text a person typed (accounts/deferred_text.py).
    reason = models.CharField(_("reason"), max_length=300)
    reason_params = models.JSONField(_("reason parameters"), default=dict, blank=True)
    # Idempotency key for automatic grants ("award:12"): one grant per source object.
    reference = models.CharField(_("reference"), max_length=100, blank=True, default="")
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("point entry")
        verbose_name_plural = _("point entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["student", "term"]), models.Index(fields=["term", "competency"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"], condition=Q(reverses__isnull=True) & ~Q(reference=""),
                name="point_entry_unique_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.amount:+d} ({self.source})"

    @property
    def reason_text(self) -> str:
        from accounts.deferred_text import render_deferred

        return render_deferred(self.reason, self.reason_params)


class PointBalance(models.Model):
    """Running total per student, kept in step with the ledger by the grant
    service (UPDATE ... SET total = total + n under the student's row lock).
    Rankings read this table so they never sum the ledger per request."""

    student = models.OneToOneField(
        "students.StudentProfile", on_delete=models.CASCADE, primary_key=True, related_name="point_balance"
    )
    total = models.IntegerField(default=0, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("point balance")
        verbose_name_plural = _("point balances")

    def __str__(self) -> str:
        return f"{self.student_id}: {self.total}"


class Tier(models.TextChoices):
    BRONZE = "bronze", _("Bronze")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")
    PLATINUM = "platinum", _("Platinum")
    DIAMOND = "diamond", _("Diamond")
    KING = "king", _("King")


class TermTier(models.Model):
    """The qualifying tier a student reached in a term (snapshot at term end)."""

    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="term_tiers")
    term = models.ForeignKey("teachers.Term", on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    percentile = models.FloatField(_("percentile"))
    points = models.IntegerField(_("points"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("term tier")
        verbose_name_plural = _("term tiers")
        ordering = ["term", "student"]
        constraints = [models.UniqueConstraint(fields=["student", "term"], name="term_tier_unique")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.term_id} {self.tier}"


class Competition(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", _("School")
        PROVINCIAL = "provincial", _("Provincial")
        NATIONAL = "national", _("National")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    organizer = models.CharField(_("organizer"), max_length=200, blank=True)
    held_on = models.DateField(_("held on"))
    term = models.ForeignKey("teachers.Term", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    competencies = models.ManyToManyField("teachers.Competency", blank=True, related_name="competitions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-held_on", "name"]

    def __str__(self) -> str:
        return self.name


class CompetitionEntry(models.Model):
    """A student's entry in a competition and, once it has a result, their award.
    Points count only after a teacher verifies it."""

    class Rank(models.TextChoices):
        FIRST = "first", _("First prize")
        SECOND = "second", _("Second prize")
        THIRD = "third", _("Third prize")
        HONOURABLE = "honourable", _("Honourable mention")
        PARTICIPATION = "participation", _("Participation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entries")
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="competition_entries")
    rank = models.CharField(_("result"), max_length=20, choices=Rank.choices)
    certificate = models.FileField(_("certificate"), upload_to="certificates/%Y/%m/", blank=True)
    certificate_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "student"], name="competition_entry_unique_student")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.competition_id} ({self.rank})"


class StarRun(models.Model):
    """One stars-of-skills selection per term; its existence makes selection idempotent."""

    term = models.OneToOneField("teachers.Term", on_delete=models.CASCADE, related_name="star_run")
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stars of skills selection")
        verbose_name_plural = _("stars of skills selections")
        ordering = ["-term__start_year", "-term__number"]

    def __str__(self) -> str:
        return f"stars {self.term_id}"


class StarOfSkill(models.Model):
    """A selected student: per competency (top points earned in it that term), or,
    with no competency, one of the major's "core marketing personnel" (top overall)."""

    run = models.ForeignKey(StarRun, on_delete=models.CASCADE, related_name="stars")
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="stars")
    major = models.ForeignKey("teachers.Major", on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey("teachers.Competency", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField()
    value = models.IntegerField()

    class Meta:
        verbose_name = _("star of skill")
        verbose_name_plural = _("stars of skills")
        ordering = ["run", "major", "competency", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "competency", "student"], name="star_unique_competency"),
            models.UniqueConstraint(
                fields=["run", "major", "student"], condition=Q(competency__isnull=True), name="star_unique_core"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} #{self.position}"


class ResumeSection(models.TextChoices):
    PROFILE = "profile", _("Profile")
    RADAR = "radar", _("Competency radar")
    GROWTH = "growth", _("Growth")
    RANKING = "ranking", _("Rank and tier")
    AWARDS = "awards", _("Awards")
    PROJECTS = "projects", _("Projects")
    INTERNSHIPS = "internships", _("Internships")
    EVALUATIONS = "evaluations", _("Evaluations")


def default_public_sections() -> list[str]:
    return [ResumeSection.PROFILE, ResumeSection.RADAR, ResumeSection.AWARDS]


class ResumeSettings(models.Model):
    student = models.OneToOneField("students.StudentProfile", on_delete=models.CASCADE, related_name="resume_settings")
    public_sections = models.JSONField(default=default_public_sections)
    visible_to_enterprises = models.BooleanField(_("visible to partner enterprises"), default=False)
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    # Unguessable share token (secrets.token_urlsafe); null when no link is active.
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    share_created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resume settings")
        verbose_name_plural = _("resume settings")

    def __str__(self) -> str:
        return f"resume {self.student_id}"


class JobFamily(models.TextChoices):
    OPERATIONS = "operations", _("E-commerce operations")
    MARKETING = "marketing", _("Marketing & new media")
    DESIGN = "design", _("Visual design")
    CUSTOMER = "customer", _("Customer service")
    DATA = "data", _("Data analysis")
    ENGINEERING = "engineering", _("Data engineering & development")


class Alumnus(models.Model):
    """A past graduate's anonymised record: graduation radar, points, rank
    percentile and outcome six months after graduation."""

    code = models.CharField(max_length=20, unique=True)
    major = models.ForeignKey("teachers.Major", on_delete=models.CASCADE, related_name="alumni")
    graduation_year = models.PositiveSmallIntegerField()
    attainment = models.JSONField(help_text="competency code -> 0..1 at graduation")
    points = models.IntegerField()
    rank_percentile = models.FloatField()
    employed = models.BooleanField()
    job_family = models.CharField(max_length=20, choices=JobFamily.choices, blank=True)
    salary_band = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("alumnus")
        verbose_name_plural = _("alumni")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class OutlookModel(models.Model):
    """A trained employment-outlook model for one major, with its validation metrics."""

    major = models.ForeignKey("teachers.Major", on_delete=models.CASCADE, related_name="+")
    trained_at = models.DateTimeField(auto_now_add=True)
    features = models.JSONField()
    metrics = models.JSONField()
    artifact = models.BinaryField()
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("employment outlook model")
        verbose_name_plural = _("employment outlook models")
        ordering = ["-trained_at"]
        constraints = [
            models.UniqueConstraint(fields=["major"], condition=Q(is_active=True), name="outlook_one_active_per_major")
        ]

    def __str__(self) -> str:
        return f"outlook {self.major_id} {self.trained_at:%Y-%m-%d}"


RANKING_SCOPES = ("school", "major", "cohort", "class")


class RankingEntry(models.Model):
    """One student's precomputed place in every scope for one metric ("points", or
    "competency:<id>" for a competency's attainment). Written only by
    `students.rankings.rankings_refresh`; a ranking page is an index range scan on
    (metric, group, <scope>_position) and a student's own place is one row looked up
    by (metric, student)."""

    metric = models.CharField(_("metric"), max_length=32)
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="+",
                                db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    student_number = models.CharField(max_length=20)
    # The groups at refresh time (no FK constraints: a move shows after the next refresh).
    major = models.ForeignKey("teachers.Major", on_delete=models.DO_NOTHING, db_constraint=False,
                              db_index=False, related_name="+")
    intake_year = models.PositiveSmallIntegerField()
    school_class = models.ForeignKey("teachers.SchoolClass", on_delete=models.DO_NOTHING, db_constraint=False,
                                     db_index=False, related_name="+")
    value = models.FloatField()
    # Per scope: RANK() (ties share), position (ROW_NUMBER, ties by student number: the
    # page order), PERCENT_RANK() ascending (0..1) and the group size.
    school_rank = models.IntegerField()
    school_position = models.IntegerField()
    school_pct = models.FloatField()
    school_population = models.IntegerField()
    major_rank = models.IntegerField()
    major_position = models.IntegerField()
    major_pct = models.FloatField()
    major_population = models.IntegerField()
    cohort_rank = models.IntegerField()
    cohort_position = models.IntegerField()
    cohort_pct = models.FloatField()
    cohort_population = models.IntegerField()
    class_rank = models.IntegerField()
    class_position = models.IntegerField()
    class_pct = models.FloatField()
    class_population = models.IntegerField()

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        constraints = [models.UniqueConstraint(fields=["metric", "student"], name="ranking_entry_metric_student")]
        indexes = [
            models.Index(fields=["metric", "school_position"], name="ranking_school_pos"),
            models.Index(fields=["metric", "major", "major_position"], name="ranking_major_pos"),
            models.Index(fields=["metric", "major", "intake_year", "cohort_position"], name="ranking_cohort_pos"),
            models.Index(fields=["metric", "school_class", "class_position"], name="ranking_class_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.student_number} #{self.school_rank}"


class RankingRefresh(models.Model):
    """When each metric's ranking was last recomputed (shown on the page)."""

    metric = models.CharField(_("metric"), max_length=32, primary_key=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    duration_ms = models.IntegerField(default=0)
    rows_changed = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("ranking refresh")
        verbose_name_plural = _("ranking refreshes")

    def __str__(self) -> str:
        return f"{self.metric} @ {self.refreshed_at:%Y-%m-%d %H:%M:%S}"
