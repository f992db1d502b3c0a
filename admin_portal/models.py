"""admin_portal's own records: construction-plan targets, the equipment register and its
bookings, and the service records (teachers' consultancy, technical services to enterprises)
that the construction plan's figures count beside the other apps' data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from teachers.models import BilingualNameMixin


class Target(models.Model):
    """A construction-plan target for one year and one KPI code (the actual is that KPI's
    school-wide figure). Rates are stored 0..1."""

    class Unit(models.TextChoices):
        COUNT = "count", _("Count")
        RATE = "rate", _("Rate (0–1)")

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.SlugField(_("figure"), max_length=60)
    value = models.DecimalField(_("target"), max_digits=10, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("construction-plan target")
        verbose_name_plural = _("construction-plan targets")
        ordering = ["year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="target_unique_year_code"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.code}: {self.value}"


class Room(BilingualNameMixin):
    """A training room or lab of the school (the equipment register's places)."""

    class Kind(models.TextChoices):
        TRAINING_ROOM = "training_room", _("Training room")
        LAB = "lab", _("Laboratory")
        STUDIO = "studio", _("Studio room")
        PRACTICE_BASE = "practice_base", _("On-campus practice base")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRAINING_ROOM)
    location = models.CharField(_("location"), max_length=120, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=40)
    weekly_hours = models.PositiveSmallIntegerField(_("bookable hours per week"), default=40)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("training room")
        verbose_name_plural = _("training rooms")
        ordering = ["code"]


class Equipment(models.Model):
    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        REPAIR = "repair", _("Under repair")
        RETIRED = "retired", _("Retired")

    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="equipment")
    asset_code = models.SlugField(_("asset code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_SERVICE)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["room__code", "asset_code"]

    def __str__(self) -> str:
        return f"{self.asset_code} {self.name}"


class Booking(models.Model):
    """A room booked by a teacher for one of their classes or studios. No two bookings of a
    room overlap (checked under a row lock on the room in services.booking_create)."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="room_bookings")
    school_class = models.ForeignKey("teachers.SchoolClass", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("class"))
    studio = models.ForeignKey("projects.Studio", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("studio"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    minutes = models.PositiveIntegerField(_("minutes"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        ordering = ["starts_at", "room_id"]
        indexes = [models.Index(fields=["room", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"),
            models.CheckConstraint(
                condition=(Q(school_class__isnull=False, studio__isnull=True)
                           | Q(school_class__isnull=True, studio__isnull=False)),
                name="booking_for_class_or_studio"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.starts_at:%Y-%m-%d %H:%M}"


class ServiceRecord(models.Model):
    """A teacher's consultancy for an enterprise, or a technical service the school gave one."""

    class Kind(models.TextChoices):
        CONSULTANCY = "consultancy", _("Teacher consultancy")
        TECHNICAL_SERVICE = "technical_service", _("Technical service")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="service_records", verbose_name=_("teacher"))
    enterprise = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="service_records",
                                   verbose_name=_("enterprise"))
    provided_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=1, default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-provided_on", "-id"]
        indexes = [models.Index(fields=["kind", "provided_on"])]
        constraints = [models.CheckConstraint(condition=~Q(kind="consultancy") | Q(teacher__isnull=False),
                                              name="service_consultancy_has_teacher")]

    def __str__(self) -> str:
        return self.title
