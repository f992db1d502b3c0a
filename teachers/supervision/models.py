"""Quality co-supervision, closed loop: plans per term, observations on a scored form by
school, enterprise and industry supervisors, findings → rectification tasks → evidence →
verified and closed (or reopened); students' end-of-course feedback feeds the same loop."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The observation form: criterion code → label; each scored 1–5.
OBSERVATION_CRITERIA = (
    ("objectives", _("Clear objectives tied to job tasks")),
    ("organisation", _("Organisation and pace")),
    ("practice", _("Hands-on practice and real cases")),
    ("engagement", _("Student engagement")),
    ("assessment", _("Process assessment and feedback")),
)
SCORE_MIN, SCORE_MAX = 1, 5


class SupervisionPlan(models.Model):
    term = models.ForeignKey("teachers.Term", on_delete=models.PROTECT, related_name="supervision_plans")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    supervisors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="supervision_plans", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision plan")
        verbose_name_plural = _("supervision plans")
        ordering = ["-term__start_year", "-term__number", "title"]

    def __str__(self) -> str:
        return self.title


class Observation(models.Model):
    """A lesson observation or inspection. `party` is the supervisor's side (school,
    enterprise or industry), taken from their role when filed."""

    class Party(models.TextChoices):
        SCHOOL = "school", _("School")
        ENTERPRISE = "enterprise", _("Enterprise")
        INDUSTRY = "industry", _("Industry")

    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="observations")
    offering = models.ForeignKey("teachers.CourseOffering", on_delete=models.CASCADE, related_name="observations")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations")
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    observed_on = models.DateField(_("observed on"))
    scores = models.JSONField(_("scores"), default=dict)
    total = models.DecimalField(_("score (0–100)"), max_digits=5, decimal_places=2)
    comments = models.TextField(_("comments"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_on", "-id"]
        indexes = [models.Index(fields=["offering", "observed_on"])]

    def __str__(self) -> str:
        return f"{self.offering_id} @ {self.observed_on}: {self.total}"


class Finding(models.Model):
    class Source(models.TextChoices):
        OBSERVATION = "observation", _("Observation")
        FEEDBACK = "feedback", _("Student feedback")

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")

    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="findings")
    offering = models.ForeignKey("teachers.CourseOffering", on_delete=models.CASCADE, related_name="findings")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="findings")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.OBSERVATION)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, default=Severity.MINOR)
    description = models.TextField(_("finding"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filed_findings")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.description[:60]


class RectificationTask(models.Model):
    """open → submitted (owner's evidence) → closed (supervisor verified); the supervisor may
    reopen a submitted or closed task. Overdue open tasks escalate to school administrators."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Evidence submitted")
        CLOSED = "closed", _("Verified and closed")

    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="task")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rectification_tasks")
    action = models.TextField(_("required action"))
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return f"{self.finding_id}: {self.status}"


class TaskEvent(models.Model):
    """The task's history: evidence submitted, verified, reopened, escalated."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence submitted")
        CLOSED = "closed", _("Verified and closed")
        REOPENED = "reopened", _("Reopened")
        ESCALATED = "escalated", _("Escalated (overdue)")

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.kind}"


class CourseFeedback(models.Model):
    """A student's end-of-course feedback on an offering they are enrolled in (1–5)."""

    offering = models.ForeignKey("teachers.CourseOffering", on_delete=models.CASCADE, related_name="feedback")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_feedback")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course feedback")
        verbose_name_plural = _("course feedback")
        constraints = [
            models.UniqueConstraint(fields=["offering", "student"], name="course_feedback_unique"),
            models.CheckConstraint(condition=models.Q(rating__gte=1) & models.Q(rating__lte=5),
                                   name="course_feedback_rating_range"),
        ]

    def __str__(self) -> str:
        return f"{self.offering_id} {self.student_id}: {self.rating}"


class EvidenceFile(models.Model):
    """A file the task's owner attaches to their evidence (revised slides, photos of the
    new practice set-up, a signed record). Checked by content and size like resources;
    stored under a content-hash name and served only to those who may see the task."""

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="evidence_files")
    event = models.ForeignKey(TaskEvent, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="supervision-evidence/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name
