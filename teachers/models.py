"""Curriculum core shared by every app: majors, their competency frameworks, terms and classes.

Programs, courses, offerings and grades build on these (see the radar issue).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.display_name


class Major(BilingualNameMixin):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    school = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="majors", null=True, blank=True
    )

    class Meta:
        verbose_name = _("major")
        verbose_name_plural = _("majors")
        ordering = ["code"]


class Competency(BilingualNameMixin):
    """One axis of a major's competency framework (the radar chart)."""

    major = models.ForeignKey(Major, on_delete=models.CASCADE, related_name="competencies")
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["major", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["major", "code"], name="competency_unique_code")]


class Term(models.Model):
    """A school term: academic year start + 1 (autumn) or 2 (spring)."""

    code = models.CharField(_("code"), max_length=20, unique=True, help_text="e.g. 2025-2026-1")
    start_year = models.PositiveSmallIntegerField(_("academic year"))
    number = models.PositiveSmallIntegerField(_("term"), choices=[(1, _("Autumn")), (2, _("Spring"))])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["start_year", "number"]
        constraints = [models.UniqueConstraint(fields=["start_year", "number"], name="term_unique_year_number")]

    def __str__(self) -> str:
        return self.code


class SchoolClass(models.Model):
    """An administrative class (行政班): one major, one intake year, a head teacher."""

    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="classes")
    intake_year = models.PositiveSmallIntegerField(_("intake year"), db_index=True)
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    head_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="head_of_classes"
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-intake_year", "code"]

    def __str__(self) -> str:
        return self.name
