"""The student roster: one profile per student account (number, major, class, intake year)."""

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
