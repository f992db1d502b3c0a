from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    ENTERPRISE = "enterprise", _("Enterprise")
    INDUSTRY = "industry", _("Industry master")
    SCHOOL_ADMIN = "school_admin", _("School administrator")


class User(AbstractUser):
    """One user, one role. What they may see is decided per object by each app's permissions."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, db_index=True)
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    display_name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def name_for_display(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.display_name_en:
            return self.display_name_en
        return self.display_name or self.display_name_en or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.role in roles


class Organization(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        ENTERPRISE = "enterprise", _("Enterprise")
        INDUSTRY_ASSOCIATION = "industry", _("Industry association")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organizations")

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    title = models.CharField(_("title"), max_length=100, blank=True)
    is_manager = models.BooleanField(_("manager"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class AuditLog(models.Model):
    """Append-only record of who changed what. Written by services, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # title and body are source texts (msgids) rendered in the reader's language with
    # params at display time; see accounts/deferred_text.py.
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title_text(self) -> str:
        """The title in the active language (the reader's)."""
        from .deferred_text import render_deferred

        return render_deferred(self.title, self.params)

    @property
    def body_text(self) -> str:
        from .deferred_text import render_deferred

        return render_deferred(self.body, self.params)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class TaskFailure(models.Model):
    """A background task that failed. The user who started it is told (a notification);
    school administrators see every failure on their failed-tasks page."""

    task_name = models.CharField(_("task"), max_length=200, db_index=True)
    task_id = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("started by"),
    )
    error = models.TextField(_("error"))
    arguments = models.JSONField(default=list, blank=True)
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed background task")
        verbose_name_plural = _("failed background tasks")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} failed at {self.occurred_at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """Written by every Celery worker every few seconds: /healthz and the failed-tasks
    page read which queues have a live worker."""

    hostname = models.CharField(max_length=200, unique=True)
    queues = models.JSONField(default=list)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["hostname"]

    def __str__(self) -> str:
        return self.hostname


class AccountRequest(models.Model):
    """A visitor's request for an account, decided by a school administrator in the moderation
    queue (accounts.services.account_request_decide). Approving creates the User."""

    class RequestedRole(models.TextChoices):
        # Only the roles an outsider may ask for: never school_admin, and students are
        # enrolled by the school.
        ENTERPRISE = Role.ENTERPRISE.value, _("Enterprise staff")
        INDUSTRY = Role.INDUSTRY.value, _("Industry master")
        TEACHER = Role.TEACHER.value, _("Teacher")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    full_name = models.CharField(_("full name"), max_length=100)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("requested role"), max_length=20, choices=RequestedRole.choices)
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    # The language the visitor used: the decision e-mail is written in it.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("account created"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decision_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the moderation queue: pending requests, oldest first
            models.Index(fields=["status", "created_at"], name="accountrequest_status_created"),
        ]
        constraints = [
            # one pending request per address, even when two arrive at the same moment
            models.UniqueConstraint(
                Lower("email"), condition=models.Q(status="pending"),
                name="accountrequest_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}> ({self.role}, {self.status})"
