"""Stars of skills: one selection per term and the students selected."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
