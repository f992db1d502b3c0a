"""The stored radar: attainment per student and competency, and each radar's summary."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompetencyAttainment(models.Model):
    """The stored radar: a student's current attainment (0..1) of one competency of
    their major, by the ARCHITECTURE formula (see students/radar/computation.py).

    attainment = earned / possible, where earned = Σ over graded courses w_c·a_ck·g_sc
    and possible = Σ over all program courses w_c·a_ck·100. Kept up to date when
    grades change. Read it with students.selectors.radar_for_student / attainments_for_students."""

    # The unique (student, competency) index serves student lookups; competency has its own.
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="attainments", db_index=False)
    competency = models.ForeignKey(
        "teachers.Competency", on_delete=models.CASCADE, related_name="attainments", db_index=False
    )
    attainment = models.FloatField(_("attainment"), default=0.0)
    earned = models.FloatField(default=0.0)
    possible = models.FloatField(default=0.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("competency attainment")
        verbose_name_plural = _("competency attainments")
        ordering = ["student", "competency__order"]
        constraints = [
            models.UniqueConstraint(fields=["student", "competency"], name="attainment_unique_student_competency")
        ]
        # No index contains a value column, and the table keeps free space on each page
        # (fillfactor, migration 0006): recomputes then update rows in place (HOT)
        # without touching any index.
        indexes = [models.Index(fields=["competency"], name="attainment_competency_idx")]

    def __str__(self) -> str:
        return f"{self.student_id}/{self.competency_id}: {self.attainment:.3f}"


class StudentRadar(models.Model):
    """One row per student: the radar's area and when it was last computed."""

    student = models.OneToOneField("students.StudentProfile", on_delete=models.CASCADE, related_name="radar", primary_key=True)
    area = models.FloatField(_("radar area"), default=0.0)
    credits_completed = models.FloatField(_("credits completed"), default=0.0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("student radar")
        verbose_name_plural = _("student radars")

    def __str__(self) -> str:
        return f"{self.student_id}: area {self.area:.3f}"


class TermAttainment(models.Model):
    """A student's attainment of one competency at the end of a term, frozen when the term
    closed (services.radar_terms_close): the radar history shows what the student saw
    then, whatever weights or programs change later."""

    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="term_attainments")
    term = models.ForeignKey("teachers.Term", on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey("teachers.Competency", on_delete=models.CASCADE, related_name="+")
    attainment = models.FloatField(_("attainment"))
    earned = models.FloatField()
    possible = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attainment at term end")
        verbose_name_plural = _("attainments at term end")
        constraints = [
            models.UniqueConstraint(fields=["student", "term", "competency"], name="term_attainment_unique"),
        ]
        indexes = [models.Index(fields=["term"], name="term_attainment_term_idx")]

    def __str__(self) -> str:
        return f"{self.student_id}/{self.term_id}/{self.competency_id}: {self.attainment:.3f}"


class PracticeEvidence(models.Model):
    """Evidence from practice for one competency of a student (issue 13): one row per source
    record (an evaluation result, say) and competency, written by higher apps through
    students.services.practice_evidence_replace and summed into the attainment by
    computation.practice_source. `term_key` (start_year · 10 + number) is the term the
    evidence was earned in, so the term snapshots and the history see it from then on."""

    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="practice_evidence")
    competency = models.ForeignKey("teachers.Competency", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=30)
    reference = models.CharField(max_length=80)
    label = models.CharField(_("practice"), max_length=250)
    credits = models.FloatField(_("credits"))
    weight = models.FloatField(_("weight"))
    score = models.FloatField(_("score"))
    earned = models.FloatField()
    possible = models.FloatField()
    term_key = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("practice evidence")
        verbose_name_plural = _("practice evidence")
        indexes = [models.Index(fields=["student", "competency"]), models.Index(fields=["source", "student"])]

    def __str__(self) -> str:
        return f"{self.student_id}/{self.competency_id} {self.reference}: {self.earned:.1f}/{self.possible:.1f}"


class CohortAttainmentSum(models.Model):
    """Per cohort (major × intake year), class and competency: the sum and the count of the
    stored attainments of its students. Kept in step in the same transaction as the
    attainments (students.radar.cohort_sums), so that figures over many students (the
    dashboard's school, major and class figures, cohort averages) add up a few thousand rows
    instead of scanning every student's attainments."""

    major = models.ForeignKey("teachers.Major", on_delete=models.CASCADE, related_name="+", db_index=False)
    intake_year = models.PositiveSmallIntegerField(_("intake year"))
    school_class = models.ForeignKey("teachers.SchoolClass", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    competency = models.ForeignKey("teachers.Competency", on_delete=models.CASCADE, related_name="+")
    total = models.FloatField(default=0.0)
    students = models.IntegerField(default=0)  # a delta upsert may pass through 0 (rows at 0 are deleted)

    class Meta:
        verbose_name = _("cohort attainment sum")
        verbose_name_plural = _("cohort attainment sums")
        constraints = [
            models.UniqueConstraint(fields=["major", "intake_year", "school_class", "competency"],
                                    name="cohort_sum_unique_cohort_class_competency")
        ]

    def __str__(self) -> str:
        return (f"{self.major_id}/{self.intake_year}/{self.school_class_id}/{self.competency_id}: "
                f"{self.total:.3f}/{self.students}")
