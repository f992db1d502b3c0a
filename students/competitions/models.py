"""Competitions and students' entries (awards once verified)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
