"""Lab work models. Imported explicitly into ``deepfake.models`` (app label ``deepfake``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LabAssignment(models.Model):
    """An experiment guide attached by its teacher to a course offering (and so to the offering's
    class); the reports for it are graded into ``component``, one of the offering's grade components."""

    guide = models.SlugField(_("guide"), max_length=40)
    offering = models.ForeignKey("teachers.CourseOffering", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("course offering"))
    component = models.ForeignKey("teachers.GradeComponent", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("grade component"))
    instructions = models.TextField(_("instructions"), blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("attached by"))
    created_at = models.DateTimeField(_("attached"), auto_now_add=True)

    class Meta:
        verbose_name = _("lab assignment")
        verbose_name_plural = _("lab assignments")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["guide", "offering"], name="deepfake_lab_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.guide} · {self.offering_id}"

    @property
    def guide_info(self):
        from .guides import guide_get

        return guide_get(self.guide)


def report_upload_to(instance, filename: str) -> str:
    import uuid

    return f"deepfake/lab_reports/{uuid.uuid4().hex}.pdf"


class LabReport(models.Model):
    """A student's PDF report for an assignment. Replaced while not graded; graded once, then
    regrading needs a reason (the gradebook's rule for corrections)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting grading")
        GRADED = "graded", _("Graded")

    assignment = models.ForeignKey(LabAssignment, on_delete=models.CASCADE, related_name="reports")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("report (PDF)"), upload_to=report_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=120)
    size_bytes = models.PositiveIntegerField(_("size"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    submitted_at = models.DateTimeField(_("submitted"))
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)

    class Meta:
        verbose_name = _("lab report")
        verbose_name_plural = _("lab reports")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "student"], name="deepfake_lab_report_unique"),
            models.CheckConstraint(condition=models.Q(score__isnull=True)
                                   | (models.Q(score__gte=0) & models.Q(score__lte=100)),
                                   name="deepfake_lab_report_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.student_id}"
