"""Employment outlook: anonymised alumni and the trained per-major models."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobFamily(models.TextChoices):
    OPERATIONS = "operations", _("E-commerce operations")
    MARKETING = "marketing", _("Marketing & new media")
    DESIGN = "design", _("Visual design")
    CUSTOMER = "customer", _("Customer service")
    DATA = "data", _("Data analysis")
    ENGINEERING = "engineering", _("Data engineering & development")


class Alumnus(models.Model):
    """A past graduate's anonymised record: graduation radar, points, rank
    percentile and outcome six months after graduation."""

    code = models.CharField(max_length=20, unique=True)
    major = models.ForeignKey("teachers.Major", on_delete=models.CASCADE, related_name="alumni")
    graduation_year = models.PositiveSmallIntegerField()
    attainment = models.JSONField(help_text="competency code -> 0..1 at graduation")
    points = models.IntegerField()
    rank_percentile = models.FloatField()
    employed = models.BooleanField()
    job_family = models.CharField(max_length=20, choices=JobFamily.choices, blank=True)
    salary_band = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("alumnus")
        verbose_name_plural = _("alumni")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class OutlookModel(models.Model):
    """A trained employment-outlook model for one major, with its validation metrics."""

    major = models.ForeignKey("teachers.Major", on_delete=models.CASCADE, related_name="+")
    trained_at = models.DateTimeField(auto_now_add=True)
    features = models.JSONField()
    metrics = models.JSONField()
    artifact = models.BinaryField()
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("employment outlook model")
        verbose_name_plural = _("employment outlook models")
        ordering = ["-trained_at"]
        constraints = [
            models.UniqueConstraint(fields=["major"], condition=Q(is_active=True), name="outlook_one_active_per_major")
        ]

    def __str__(self) -> str:
        return f"outlook {self.major_id} {self.trained_at:%Y-%m-%d}"
