"""The visual resume's settings: public sections, visibility, the share link."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
