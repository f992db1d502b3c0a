"""Challenge models. Imported explicitly into ``deepfake.models`` (app label ``deepfake``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Challenge(models.Model):
    """A class challenge. The teacher's labelled zip is split into a labelled dev split
    (downloadable by students) and a test set whose images students get under opaque ids
    and whose labels stay on the server; the test set's fixed public half drives the public
    leaderboard, the other half the private one."""

    class Rule(models.TextChoices):
        BEST = "best", _("Best submission counts")
        LAST = "last", _("Last submission counts")

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="deepfake_challenges", verbose_name=_("created by"))
    classes = models.ManyToManyField("teachers.SchoolClass", related_name="+", verbose_name=_("classes"))
    rule = models.CharField(_("leaderboard rule"), max_length=4, choices=Rule.choices, default=Rule.BEST)
    daily_quota = models.PositiveSmallIntegerField(_("submissions per day"), default=5)
    total_quota = models.PositiveSmallIntegerField(_("submissions in total"), default=50)
    dev_archive = models.FileField(_("dev split"), upload_to="deepfake/challenges/", max_length=255)
    test_archive = models.FileField(_("test images"), upload_to="deepfake/challenges/", max_length=255)
    generators = models.JSONField(_("generators"), default=list, blank=True)
    test_count = models.PositiveIntegerField(_("test images"), default=0)
    dev_count = models.PositiveIntegerField(_("dev images"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ChallengePhase(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=80)
    starts_at = models.DateTimeField(_("opens"))
    ends_at = models.DateTimeField(_("closes"))
    finalized_at = models.DateTimeField(_("final ranks granted"), null=True, blank=True)

    class Meta:
        verbose_name = _("challenge phase")
        verbose_name_plural = _("challenge phases")
        ordering = ["challenge", "starts_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="deepfake_phase_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.challenge} · {self.name}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at


class ChallengeItem(models.Model):
    """One image of the hidden test set: its opaque id, label, generator and half."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="items")
    item_id = models.CharField(max_length=40)
    label = models.PositiveSmallIntegerField()  # 1 = fake
    generator = models.CharField(max_length=60)  # "real" for real images
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["challenge", "item_id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "item_id"], name="deepfake_item_once")]

    def __str__(self) -> str:
        return self.item_id


class ChallengeTeam(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=60)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="deepfake_teams")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["challenge", "name"]
        constraints = [models.UniqueConstraint(fields=["challenge", "name"], name="deepfake_team_name_once")]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    class Kind(models.TextChoices):
        PREDICTIONS = "predictions", _("Prediction CSV")
        WEIGHTS = "weights", _("Model weights")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Scoring")
        SCORED = "scored", _("Scored")
        FAILED = "failed", _("Failed")

    phase = models.ForeignKey(ChallengePhase, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="deepfake_submissions")
    team = models.ForeignKey(ChallengeTeam, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="submissions")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    is_baseline = models.BooleanField(_("baseline"), default=False)
    label = models.CharField(_("label"), max_length=80, blank=True)
    file = models.FileField(upload_to="deepfake/submissions/", max_length=255)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    error = models.TextField(_("reason"), blank=True)
    public_auc = models.FloatField(null=True, blank=True)
    public_accuracy = models.FloatField(null=True, blank=True)
    private_auc = models.FloatField(null=True, blank=True)
    private_accuracy = models.FloatField(null=True, blank=True)
    # {"public": {"auc":..., "accuracy":..., "per_generator": {...}}, "private": {...}}
    scores = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("submitted"), db_index=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("challenge submission")
        verbose_name_plural = _("challenge submissions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phase", "status"], name="deepfake_sub_phase_status")]

    def __str__(self) -> str:
        return f"submission {self.pk} ({self.status})"

    @property
    def entrant_key(self) -> str:
        return f"team:{self.team_id}" if self.team_id else f"user:{self.submitted_by_id}"


class Experiment(models.Model):
    """A student's training run of one of the lab's small models on a challenge's dev split."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deepfake_experiments")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="experiments")
    arch = models.CharField(_("architecture"), max_length=20)
    epochs = models.PositiveSmallIntegerField(_("epochs"))
    note = models.CharField(_("note"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(_("reason"), blank=True)
    metrics = models.JSONField(default=dict, blank=True)  # history, test AUC per generator, ROC points
    weights_file = models.FileField(upload_to="deepfake/experiments/", max_length=255, blank=True)
    roc_curve = models.FileField(upload_to="deepfake/experiments/", max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One queued or running experiment per student at a time.
            models.UniqueConstraint(fields=["student"], condition=models.Q(status__in=["queued", "running"]),
                                    name="deepfake_one_active_experiment"),
        ]

    def __str__(self) -> str:
        return f"experiment {self.pk} ({self.status})"
