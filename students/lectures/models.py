"""Expert lectures by industry masters (issue 14 item 7; seed: "technical reports by invited
experts"): scheduled by an industry master or a school administrator, signed up for by
students up to a capacity with a waitlist, attendance taken by the organiser, points for
attending."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Lecture(models.Model):
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"))
    speaker = models.CharField(_("speaker"), max_length=120)
    speaker_title = models.CharField(_("speaker's position"), max_length=200, blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_lectures")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    room = models.CharField(_("room"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"))
    # Empty: open to students of every major.
    majors = models.ManyToManyField("teachers.Major", blank=True, related_name="+", verbose_name=_("majors"))
    attendance_taken_at = models.DateTimeField(_("attendance taken at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expert lecture")
        verbose_name_plural = _("expert lectures")
        ordering = ["-starts_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gt=0), name="lecture_capacity_positive")]

    def __str__(self) -> str:
        return self.title


class LectureSignup(models.Model):
    """One row per (lecture, student). `signed_up_at` orders the waitlist; a student who
    cancels and signs up again goes to its end."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    lecture = models.ForeignKey(Lecture, on_delete=models.CASCADE, related_name="signups")
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="lecture_signups")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    signed_up_at = models.DateTimeField(_("signed up at"))
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("lecture sign-up")
        verbose_name_plural = _("lecture sign-ups")
        ordering = ["signed_up_at", "id"]
        constraints = [models.UniqueConstraint(fields=["lecture", "student"], name="lecture_signup_unique")]
        indexes = [models.Index(fields=["lecture", "status", "signed_up_at"])]

    def __str__(self) -> str:
        return f"{self.lecture_id} {self.student_id}: {self.status}"
