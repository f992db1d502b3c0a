"""Careers after graduation: survey rounds, each graduate's destination per round, and
employers' feedback on the interns and graduates they host or employ (issue 11 items
8–9). Definitions and formulas: docs/careers.md."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from students.models import JobFamily

# Three-year higher-vocational programs (高职): a cohort of intake year Y graduates in
# Y + PROGRAM_YEARS, in July.
PROGRAM_YEARS = 3
GRADUATION_MONTH_DAY = (7, 1)
SURVEY_OPEN_DAYS = 60  # how long a round takes answers


class DestinationCategory(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    FURTHER_STUDY = "further_study", _("Further study")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship")
    ENLISTED = "enlisted", _("Enlisted")
    FLEXIBLE = "flexible", _("Flexible employment")
    NOT_EMPLOYED = "not_employed", _("Not yet employed")


# The Chinese graduate-employment rate (毕业去向落实率 as the school reports it here):
# employed + further study + entrepreneurship + flexible employment over graduates.
EMPLOYMENT_RATE_CATEGORIES = (DestinationCategory.EMPLOYED, DestinationCategory.FURTHER_STUDY,
                              DestinationCategory.ENTREPRENEURSHIP, DestinationCategory.FLEXIBLE)
# Categories with an employer or a business: position, salary and counterpart apply.
WORKING_CATEGORIES = (DestinationCategory.EMPLOYED, DestinationCategory.ENTREPRENEURSHIP,
                      DestinationCategory.FLEXIBLE)


class SalaryBand(models.TextChoices):
    # Codes match students.outlook's alumni salary bands.
    UNDER_3K = "<3k", _("Under 3,000 CNY a month")
    FROM_3K = "3-5k", _("3,000–5,000 CNY a month")
    FROM_5K = "5-8k", _("5,000–8,000 CNY a month")
    FROM_8K = "8k+", _("8,000 CNY a month or more")


class SurveyRound(models.Model):
    """One survey of one graduating cohort: at graduation, +6 months, +1 year, +3 years."""

    class Kind(models.TextChoices):
        GRADUATION = "graduation", _("At graduation")
        SIX_MONTHS = "6m", _("Six months after")
        ONE_YEAR = "1y", _("One year after")
        THREE_YEARS = "3y", _("Three years after")

    # months after graduation at which the round opens
    OFFSETS = {"graduation": 0, "6m": 6, "1y": 12, "3y": 36}

    graduation_year = models.PositiveSmallIntegerField(_("graduation year"))
    kind = models.CharField(_("round"), max_length=12, choices=Kind.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # set once the cohort's graduates were notified (the beat task is idempotent)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-graduation_year", "opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["graduation_year", "kind"], name="survey_round_unique"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="survey_round_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.graduation_year} {self.get_kind_display()}"

    @classmethod
    def opening_date(cls, graduation_year: int, kind: str) -> datetime.date:
        months = cls.OFFSETS[kind]
        month0 = GRADUATION_MONTH_DAY[0] - 1 + months
        return datetime.date(graduation_year + month0 // 12, month0 % 12 + 1, GRADUATION_MONTH_DAY[1])

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class Destination(models.Model):
    """Where a graduate is, as answered in one survey round or imported by the school."""

    class Source(models.TextChoices):
        SURVEY = "survey", _("Survey answer")
        IMPORT = "import", _("Imported by the school")

    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="+")
    survey_round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="destinations")
    # copies of the student's cohort, so the dashboard groups without walking up
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), db_index=True)
    major = models.ForeignKey("teachers.Major", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey("teachers.SchoolClass", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("destination"), max_length=20, choices=DestinationCategory.choices)
    employer_name = models.CharField(_("employer or institution"), max_length=200, blank=True)
    # the partner organisation when the employer is one (its feedback rights follow)
    employer = models.ForeignKey("accounts.Organization", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    position = models.CharField(_("position"), max_length=120, blank=True)
    job_family = models.CharField(_("job family"), max_length=20, choices=JobFamily.choices, blank=True)
    counterpart = models.BooleanField(_("counterpart to the major"), null=True, blank=True)
    salary_band = models.CharField(_("salary band"), max_length=8, choices=SalaryBand.choices, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    started_on = models.DateField(_("since"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SURVEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")
        ordering = ["-graduation_year", "student_id", "survey_round__opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["student", "survey_round"], name="destination_once_per_round"),
        ]
        indexes = [models.Index(fields=["graduation_year", "survey_round", "major"], name="destination_cohort"),
                   models.Index(fields=["employer", "category"], name="destination_employer")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.survey_round_id}: {self.category}"


class EmployerFeedback(models.Model):
    """An employer's rating of one intern or graduate in one survey round: every
    competency of the student's major on 1–5 (FeedbackRating) and one comment."""

    class Kind(models.TextChoices):
        INTERN = "intern", _("Intern")
        GRADUATE = "graduate", _("Graduate")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("students.StudentProfile", on_delete=models.CASCADE, related_name="+")
    survey_round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="feedback")
    kind = models.CharField(_("as"), max_length=10, choices=Kind.choices)
    major = models.ForeignKey("teachers.Major", on_delete=models.PROTECT, related_name="+")
    # calendar year the round opened (the year of the figures)
    year = models.PositiveSmallIntegerField(_("year"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("employer feedback")
        verbose_name_plural = _("employer feedback")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "student", "survey_round"],
                                    name="feedback_once_per_round"),
        ]
        indexes = [models.Index(fields=["major", "year"], name="feedback_major_year")]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.student_id} ({self.survey_round_id})"


class FeedbackRating(models.Model):
    feedback = models.ForeignKey(EmployerFeedback, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey("teachers.Competency", on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))

    class Meta:
        ordering = ["feedback", "competency__order"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "competency"], name="feedback_rating_unique"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_range"),
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id}/{self.competency_id}: {self.rating}"
