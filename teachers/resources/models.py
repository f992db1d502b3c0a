"""Shared resources and the case library: courseware, videos, datasets, enterprise cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Resource(models.Model):
    class Kind(models.TextChoices):
        COURSEWARE = "courseware", _("Courseware")
        VIDEO = "video", _("Video")
        DATASET = "dataset", _("Dataset")
        CASE = "case", _("Enterprise case")

    class Visibility(models.TextChoices):
        SCHOOL = "school", _("School (teachers, students, administrators)")
        PARTNERS = "partners", _("School and partners (enterprises, industry)")
        PUBLIC = "public", _("Everyone")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Awaiting review")
        REJECTED = "rejected", _("Rejected")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.SCHOOL, db_index=True)
    course = models.ForeignKey("teachers.Course", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="resources")
    major = models.ForeignKey("teachers.Major", on_delete=models.SET_NULL, null=True, blank=True, related_name="resources")
    competencies = models.ManyToManyField("teachers.Competency", blank=True, related_name="resources")
    file = models.FileField(upload_to="resources/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    preview = models.FileField(upload_to="resource-previews/", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="resources")
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    # Partners' uploads and teachers' uploads for everyone wait for a school administrator
    # (services.resource_upload); until published only the uploader and administrators see them.
    # Database defaults too: rows inserted by code that predates a column (a rolling deploy) still
    # get a valid value.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED,
                              db_default=Status.PUBLISHED)
    review_note = models.TextField(_("review note"), blank=True, db_default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Lower-cased title, description and file name: what search matches (a trigram GIN index on PostgreSQL).
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "visibility", "kind", "-created_at"], name="resource_listing"),
            # the moderation queue and its badge: the few waiting rows, oldest first
            models.Index(fields=["created_at"], condition=models.Q(status="pending"), name="resource_pending"),
            models.Index(fields=["-downloads", "-id"], name="resource_by_downloads"),
            models.Index(fields=["-rating_sum", "-id"], name="resource_by_rating"),
        ]

    def __str__(self) -> str:
        return self.title

    def search_text_build(self) -> str:
        return f"{self.title}\n{self.description}\n{self.original_name}".lower()

    @property
    def rating(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None


class ResourceRating(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("stars"))
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "user"], name="resource_rating_unique"),
            models.CheckConstraint(condition=models.Q(value__gte=1) & models.Q(value__lte=5),
                                   name="resource_rating_range"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.user_id}: {self.value}"
