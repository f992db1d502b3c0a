"""Tiers, their per-term snapshots and the precomputed rank table."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
