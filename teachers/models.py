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

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


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


class Program(BilingualNameMixin):
    """A talent-training program (人才培养方案): one major, one intake year, its courses."""

    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="programs")
    intake_year = models.PositiveSmallIntegerField(_("intake year"))

    class Meta:
        verbose_name = _("talent-training program")
        verbose_name_plural = _("talent-training programs")
        ordering = ["major", "-intake_year"]
        constraints = [models.UniqueConstraint(fields=["major", "intake_year"], name="program_unique_major_year")]


class GoldenLevel(models.TextChoices):
    SCHOOL = "school", _("School-level golden course")
    PROVINCIAL = "provincial", _("Provincial golden course")
    NATIONAL = "national", _("National golden course")


class Course(BilingualNameMixin):
    """A course. Its owners (and school administrators) edit it in the site and propose reforms."""

    GoldenLevel = GoldenLevel

    class Kind(models.TextChoices):
        THEORY = "theory", _("Theory")
        PRACTICE = "practice", _("Practice")
        INTEGRATED = "integrated", _("Theory + practice")

    code = models.CharField(_("code"), max_length=40, unique=True)
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="courses", null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INTEGRATED)
    description = models.TextField(_("description"), blank=True)
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="owned_courses",
                                    verbose_name=_("owners"))
    # A "golden course" (金课): a quality recognition the school records (school administrators
    # only); the construction plan's golden-courses target counts the courses recognised by a year.
    golden_level = models.CharField(_("golden course"), max_length=12, choices=GoldenLevel.choices, blank=True,
                                    default="", db_default="")  # db_default: rows inserted by older code
    golden_year = models.PositiveSmallIntegerField(_("recognised in"), null=True, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]


class ProgramCourse(models.Model):
    """A course in a program: its credits w_c and the semester it is planned for.
    Its competency weights a_ck are CourseCompetencyWeight rows."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="program_courses")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="program_courses")
    credits = models.DecimalField(_("credits"), max_digits=4, decimal_places=1)
    semester = models.PositiveSmallIntegerField(_("semester"), help_text=_("1–6: the program's semester"))

    class Meta:
        verbose_name = _("program course")
        verbose_name_plural = _("program courses")
        ordering = ["program", "semester", "course__code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "course"], name="program_course_unique"),
            models.CheckConstraint(condition=models.Q(credits__gt=0), name="program_course_credits_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.course}"


class CourseCompetencyWeight(models.Model):
    """a_ck: how much a program course builds one competency (non-negative)."""

    program_course = models.ForeignKey(ProgramCourse, on_delete=models.CASCADE, related_name="weights")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="course_weights")
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("competency weight")
        verbose_name_plural = _("competency weights")
        ordering = ["program_course", "competency__order"]
        constraints = [
            models.UniqueConstraint(fields=["program_course", "competency"], name="course_weight_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="course_weight_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.program_course} → {self.competency}: {self.weight}"


class CourseOffering(models.Model):
    """A course taught in one term to one class by one teacher; its gradebook."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="offerings")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="offerings")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="offerings")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="taught_offerings"
    )

    class Meta:
        verbose_name = _("course offering")
        verbose_name_plural = _("course offerings")
        ordering = ["-term__start_year", "-term__number", "course__code", "school_class__code"]
        constraints = [
            models.UniqueConstraint(fields=["course", "term", "school_class"], name="offering_unique_course_term_class")
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.school_class} · {self.term}"


class Enrolment(models.Model):
    """One student in one offering, with the final grade (0–100) once entered."""

    offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE, related_name="enrolments")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    score = models.DecimalField(_("final grade"), max_digits=5, decimal_places=2, null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["offering", "student__username"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "student"], name="enrolment_unique"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | (models.Q(score__gte=0) & models.Q(score__lte=100)),
                name="enrolment_score_range",
            ),
        ]
        indexes = [models.Index(fields=["student", "offering"])]

    def __str__(self) -> str:
        return f"{self.student} @ {self.offering}: {self.score}"


class GradeChange(models.Model):
    """The audit trail of a grade: every entry and correction, who and when."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered in the gradebook")
        IMPORT = "import", _("Imported from a file")
        SEED = "seed", _("Demo data")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="changes")
    previous_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    new_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.previous_score} → {self.new_score}"


class GradebookImport(models.Model):
    """A big gradebook import run by a worker (teachers.gradebook_jobs): the stored
    upload, its progress, and the result — rows applied, or the rows with problems
    (then nothing is applied). The file is deleted once the import has run."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rows with problems: nothing imported")
        FAILED = "failed", _("Failed")

    offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE, related_name="imports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    upload = models.FileField(upload_to="gradebook-imports/%Y/%m/", blank=True)
    upload_name = models.CharField(max_length=255)
    reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{row, student_number, reason}], the first 100")
    message = models.CharField(max_length=300, blank=True, help_text="why a failed import failed")
    created_at = models.DateTimeField(auto_now_add=True)
    # Liveness (teachers.gradebook_jobs.gradebook_imports_sweep): when it was last sent to the
    # broker, how many runs it has had, and the heartbeat of the worker running it now.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gradebook import")
        verbose_name_plural = _("gradebook imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.upload_name} → {self.offering_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)

    @property
    def progress(self) -> int:
        if self.is_finished:
            return 100
        return min(99, 100 * self.rows_checked // self.rows_total) if self.rows_total else 0

    @property
    def errors_not_listed(self) -> int:
        return self.error_count - len(self.errors)


# Feature models live in their own sub-packages (issue 14).
from .assessment.models import *  # noqa: E402,F403
from .reform.models import *  # noqa: E402,F403
from .resources.models import *  # noqa: E402,F403
from .supervision.models import *  # noqa: E402,F403
