from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StudentProfile(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        INTERNSHIP = "internship", _("On internship")
        GRADUATED = "graduated", _("Graduated")
        SUSPENDED = "suspended", _("Suspended")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_profile")
    student_number = models.CharField(_("student number"), max_length=20, unique=True)
    major = models.ForeignKey("teachers.Major", on_delete=models.PROTECT, related_name="students")
    school_class = models.ForeignKey("teachers.SchoolClass", on_delete=models.PROTECT, related_name="students")
    intake_year = models.PositiveSmallIntegerField(_("intake year"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED)

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")
        ordering = ["student_number"]
        indexes = [models.Index(fields=["major", "intake_year"])]

    def __str__(self) -> str:
        return f"{self.student_number} {self.user}"


class CompetencyAttainment(models.Model):
    """The stored radar: a student's current attainment (0..1) of one competency of
    their major, by the ARCHITECTURE formula (see students/radar.py).

    attainment = earned / possible, where earned = Σ over graded courses w_c·a_ck·g_sc
    and possible = Σ over all program courses w_c·a_ck·100. Kept up to date when
    grades change. Read it with students.radar.radar_for_student / attainments_for_students."""

    # The unique (student, competency) index serves student lookups; competency has its own.
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="attainments", db_index=False)
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

    student = models.OneToOneField(StudentProfile, on_delete=models.CASCADE, related_name="radar", primary_key=True)
    area = models.FloatField(_("radar area"), default=0.0)
    credits_completed = models.FloatField(_("credits completed"), default=0.0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("student radar")
        verbose_name_plural = _("student radars")

    def __str__(self) -> str:
        return f"{self.student_id}: area {self.area:.3f}"


from .growth_models import *  # noqa: E402,F403 - issue 4 models live in their own module
