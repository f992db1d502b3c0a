"""The points ledger: rules, immutable entries and each student's running balance."""

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
    LECTURE_ATTENDANCE = "lecture_attendance", _("Expert lecture attended")


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
