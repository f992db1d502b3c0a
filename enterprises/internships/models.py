"""Internships (issue 11): placements of a student at an organisation with an enterprise
mentor and a school tutor, their posts (rotations), daily check-ins, weekly logs and
their reviews, copied-work flags, the placement's conversation, leave requests and the
closing summary. See docs/internships.md."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Placement(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        FINISHED = "finished", _("Finished")
        TERMINATED = "terminated", _("Terminated")

    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="placements")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    # Set when the placement comes from an accepted internship offer (at most one per offer).
    application = models.OneToOneField("enterprises.Application", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="placement")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="mentored_placements", verbose_name=_("enterprise mentor"))
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="tutored_placements", verbose_name=_("school tutor"))
    title = models.CharField(_("position"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED,
                              db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("check-in radius (metres)"), default=500)
    # The last week of the placement whose log was reminded (the beat task's idempotency).
    reminded_week = models.PositiveSmallIntegerField(default=0)
    terminated_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internship placement")
        verbose_name_plural = _("internship placements")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["tutor", "status"]), models.Index(fields=["mentor", "status"]),
                   models.Index(fields=["organization", "status"])]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="placement_dates_ordered")]

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.organization_id} ({self.starts_on}–{self.ends_on})"

    @property
    def weeks(self) -> int:
        return (self.ends_on - self.starts_on).days // 7 + 1

    def week_of(self, day: datetime.date) -> int:
        """1-based week of the placement a day falls in (weeks start on the first day)."""
        return (day - self.starts_on).days // 7 + 1

    def week_starts(self, week: int) -> datetime.date:
        return self.starts_on + datetime.timedelta(days=7 * (week - 1))

    def week_due(self, week: int) -> datetime.date:
        """A week's log is due on the week's last day (or the placement's last day)."""
        return min(self.week_starts(week) + datetime.timedelta(days=6), self.ends_on)


class Post(models.Model):
    """A rotation within a placement, with its own dates and duties. Its end opens an
    evaluation of the post (evaluations registers the subject type)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(_("post"), max_length=200)
    duties = models.TextField(_("duties"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("internship post")
        verbose_name_plural = _("internship posts")
        ordering = ["starts_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="internship_post_dates_ordered")]

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="checkins")
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("time"))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(_("distance (m)"), null=True, blank=True)
    far = models.BooleanField(_("outside the radius"), default=False)
    late = models.BooleanField(_("late"), default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # sha256 of the browser's user agent and its reported device traits (never the raw values).
    device_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["placement", "day"], name="checkin_one_per_day")]
        indexes = [models.Index(fields=["day", "placement"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.day}"


class Grade(models.TextChoices):
    A = "A", _("Excellent")
    B = "B", _("Good")
    C = "C", _("Pass")
    D = "D", _("Fail")


class WeeklyLog(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Sent back for revision")
        REVIEWED = "reviewed", _("Reviewed")

    class Poster(models.TextChoices):
        NONE = "none", _("No video")
        PENDING = "pending", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="logs")
    week = models.PositiveSmallIntegerField(_("week"))
    due_on = models.DateField(_("due on"))
    text = models.TextField(_("log"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("late"), default=False)
    video = models.FileField(upload_to="internship-videos/", blank=True)
    video_content_type = models.CharField(max_length=40, blank=True)
    video_duration_s = models.FloatField(null=True, blank=True)
    video_width = models.PositiveIntegerField(null=True, blank=True)
    video_height = models.PositiveIntegerField(null=True, blank=True)
    poster = models.ImageField(upload_to="internship-posters/", blank=True)
    poster_status = models.CharField(max_length=10, choices=Poster.choices, default=Poster.NONE)
    mentor_grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    mentor_comment = models.TextField(blank=True)
    mentor_reviewed_at = models.DateTimeField(null=True, blank=True)
    tutor_grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    tutor_comment = models.TextField(blank=True)
    tutor_reviewed_at = models.DateTimeField(null=True, blank=True)
    # MinHash signature of the text (integrity.py), filled by the worker's scan.
    signature = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("weekly log")
        verbose_name_plural = _("weekly logs")
        ordering = ["placement", "week"]
        constraints = [models.UniqueConstraint(fields=["placement", "week"], name="weekly_log_one_per_week")]
        indexes = [models.Index(fields=["placement", "status"])]

    def __str__(self) -> str:
        return f"{self.placement_id} w{self.week}"


class LogPhoto(models.Model):
    log = models.ForeignKey(WeeklyLog, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="internship-photos/")
    content_type = models.CharField(max_length=40)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"photo {self.pk} of log {self.log_id}"


class IntegrityFlag(models.Model):
    """Something a tutor should look at: copied log text, or check-ins that look made
    for someone else (one device, or one network address, for several students)."""

    class Kind(models.TextChoices):
        PEER_TEXT = "peer_text", _("Log text close to another student's")
        SELF_TEXT = "self_text", _("Log repeats an earlier log")
        DEVICE = "device", _("Check-ins of several students from one device")
        ADDRESS = "address", _("Check-ins of several students from one network address")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="flags")
    other_placement = models.ForeignKey(Placement, on_delete=models.CASCADE, null=True, blank=True,
                                        related_name="+")
    log = models.ForeignKey(WeeklyLog, on_delete=models.CASCADE, null=True, blank=True, related_name="flags")
    other_log = models.ForeignKey(WeeklyLog, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, null=True, blank=True, related_name="flags")
    other_checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    score = models.FloatField(_("similarity"), default=0)
    # [[passage of this log, passage of the other], ...] for the side-by-side view.
    passages = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        verbose_name = _("integrity flag")
        verbose_name_plural = _("integrity flags")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["placement", "dismissed_at"])]
        constraints = [
            models.UniqueConstraint(fields=["kind", "log", "other_log"], condition=Q(log__isnull=False),
                                    name="flag_unique_log_pair"),
            models.UniqueConstraint(fields=["kind", "checkin", "other_checkin"], condition=Q(checkin__isnull=False),
                                    name="flag_unique_checkin_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.placement_id}"


class Message(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.placement_id}: {self.body[:30]}"


class LeaveRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="leaves")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    mentor_decision = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    tutor_decision = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="leave_dates_ordered")]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.starts_on}–{self.ends_on}"


class InternshipSummary(models.Model):
    """The student's summary at the end; shown on the resume once mentor and tutor signed."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="summary")
    text = models.TextField(_("summary"))
    submitted_at = models.DateTimeField(auto_now=True)
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    mentor_comment = models.CharField(max_length=500, blank=True)
    tutor_signed_at = models.DateTimeField(null=True, blank=True)
    tutor_comment = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"summary {self.placement_id}"

    @property
    def signed(self) -> bool:
        return bool(self.tutor_signed_at and (self.mentor_signed_at or self.placement.mentor_id is None))
