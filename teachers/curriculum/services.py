"""Courses, programs, credits, weights and offerings edited in the site (issue 14, item 1).

Course owners and school administrators; no Django-admin superuser needed. Credits and
weights go through `teachers.services.program_course_set`, which validates them once
(`program_course_validate`) for the site, the API and the admin alike."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role, User
from accounts.services import audit_log_record

from ..models import Course, CourseOffering, Major, Program, ProgramCourse, SchoolClass, Term
from ..permissions import course_can_edit, is_school_admin
from ..roster import user_ids_in_cohort
from ..services import offering_create, program_course_set
from ..signals import grades_changed

COURSE_FIELDS = ("code", "name", "name_en", "major", "kind", "description")


def _require_course_editor(*, actor: User, course: Course) -> None:
    if not course_can_edit(user=actor, course=course):
        raise NotPermitted(_("Only the course's owners and school administrators may change this course."))


def _clean_text(value: str, *, field: str, required: bool = False, max_length: int = 200) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ApplicationError(_("%(field)s contains a NUL character.") % {"field": field}, code="nul_byte")
    if required and not value:
        raise ApplicationError(_("%(field)s is required.") % {"field": field}, code="required")
    if len(value) > max_length:
        raise ApplicationError(_("%(field)s is too long.") % {"field": field}, code="too_long")
    return value


@transaction.atomic
def course_create(*, actor: User, code: str, name: str, name_en: str = "", major: Major | None = None,
                  kind: str = Course.Kind.INTEGRATED, description: str = "", owners: list[User] | None = None) -> Course:
    """A teacher who creates a course owns it; a school administrator names its owners."""
    if actor.role not in (Role.TEACHER, Role.SCHOOL_ADMIN):
        raise NotPermitted(_("Only teachers and school administrators create courses."))
    code = _clean_text(code, field=_("Code"), required=True, max_length=40)
    if Course.objects.filter(code__iexact=code).exists():
        raise ApplicationError(_("A course with code %(code)s exists already.") % {"code": code}, code="duplicate_code")
    if kind not in Course.Kind.values:
        raise ApplicationError(_("Unknown course kind."), code="kind")
    course = Course.objects.create(
        code=code, name=_clean_text(name, field=_("Name"), required=True), name_en=_clean_text(name_en, field=_("Name")),
        major=major, kind=kind, description=_clean_text(description, field=_("Description"), max_length=5000),
    )
    owner_list = list(owners or [])
    if actor.role == Role.TEACHER and actor not in owner_list:
        owner_list.append(actor)
    _owners_check(owner_list)
    course.owners.set(owner_list)
    audit_log_record(actor=actor, action="course.create", target=course, data={"owners": [u.pk for u in owner_list]})
    return course


def _owners_check(owners: list[User]) -> None:
    if any(u.role != Role.TEACHER for u in owners):
        raise ApplicationError(_("Course owners must be teachers."), code="owner_role")


@transaction.atomic
def course_update(*, actor: User, course: Course, data: dict, owners: list[User] | None = None) -> Course:
    """Change a course's fields; only school administrators change its owners."""
    _require_course_editor(actor=actor, course=course)
    course = Course.objects.select_for_update().get(pk=course.pk)
    changed = {}
    for field in COURSE_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field in ("code", "name", "name_en", "description"):
            value = _clean_text(value, field=field, required=field in ("code", "name"),
                                max_length={"code": 40, "description": 5000}.get(field, 200))
        if field == "code" and Course.objects.filter(code__iexact=value).exclude(pk=course.pk).exists():
            raise ApplicationError(_("A course with code %(code)s exists already.") % {"code": value}, code="duplicate_code")
        if field == "kind" and value not in Course.Kind.values:
            raise ApplicationError(_("Unknown course kind."), code="kind")
        if getattr(course, field) != value:
            changed[field] = str(value)
            setattr(course, field, value)
    course.save()
    if owners is not None:
        if not is_school_admin(actor):
            raise NotPermitted(_("Only school administrators change a course's owners."))
        _owners_check(owners)
        course.owners.set(owners)
        changed["owners"] = sorted(u.pk for u in owners)
    audit_log_record(actor=actor, action="course.update", target=course, data=changed)
    return course


@transaction.atomic
def course_golden_set(*, actor: User, course: Course, level: str, year: int | None) -> Course:
    """Record (or clear, with level "") a course's golden-course recognition: school administrators only."""
    if not is_school_admin(actor):
        raise NotPermitted(_("Only school administrators record golden courses."))
    level = (level or "").strip()
    if level and level not in Course.GoldenLevel.values:
        raise ApplicationError(_("Unknown golden-course level."), code="golden_level")
    if level and (year is None or not 2000 <= int(year) <= 2100):
        raise ApplicationError(_("Give the year the course was recognised (2000–2100)."), code="golden_year")
    year = int(year) if level else None
    course = Course.objects.select_for_update().get(pk=course.pk)
    if (course.golden_level, course.golden_year) != (level, year):
        course.golden_level, course.golden_year = level, year
        course.save(update_fields=["golden_level", "golden_year"])
        audit_log_record(actor=actor, action="course.golden", target=course, data={"level": level, "year": year})
    return course


@transaction.atomic
def program_create(*, actor: User, major: Major, intake_year: int, name: str, name_en: str = "") -> Program:
    if not is_school_admin(actor):
        raise NotPermitted(_("Only school administrators create talent-training programs."))
    if not 2000 <= int(intake_year) <= 2100:
        raise ApplicationError(_("Give an intake year between 2000 and 2100."), code="intake_year")
    if Program.objects.filter(major=major, intake_year=intake_year).exists():
        raise ApplicationError(_("This major already has a program for that intake year."), code="duplicate_program")
    program = Program.objects.create(major=major, intake_year=intake_year,
                                     name=_clean_text(name, field=_("Name"), required=True),
                                     name_en=_clean_text(name_en, field=_("Name")))
    audit_log_record(actor=actor, action="program.create", target=program)
    return program


@transaction.atomic
def program_course_edit(*, actor: User, program: Program, course: Course, credits, semester,
                        weights: dict[int, Decimal]) -> ProgramCourse:
    """Add a course to a program or change its credits, semester and competency weights."""
    _require_course_editor(actor=actor, course=course)
    try:
        credits = Decimal(str(credits))
        semester = int(semester)
    except (ArithmeticError, ValueError, TypeError):
        raise ApplicationError(_("Credits and semester must be numbers."), code="number") from None
    if not 1 <= semester <= 6:
        raise ApplicationError(_("The semester must be between 1 and 6."), code="semester")
    if course.major_id and course.major_id != program.major_id:
        raise ApplicationError(_("This course belongs to another major."), code="foreign_course")
    return program_course_set(actor=actor, program=program, course=course, credits=credits, semester=semester,
                              weights=weights)


@transaction.atomic
def program_course_remove(*, actor: User, program_course: ProgramCourse) -> None:
    _require_course_editor(actor=actor, course=program_course.course)
    program = program_course.program
    audit_log_record(actor=actor, action="program.course_remove", target=program_course,
                     data={"program": program.pk, "course": program_course.course_id})
    program_course.delete()
    # The course leaves every denominator of the program: tell the radar.
    user_ids = user_ids_in_cohort(major_id=program.major_id, intake_year=program.intake_year)
    if user_ids:
        grades_changed.send(sender=ProgramCourse, user_ids=user_ids)


@transaction.atomic
def offering_add(*, actor: User, course: Course, term: Term, school_class: SchoolClass,
                 teacher: User | None) -> CourseOffering:
    """Create an offering of one's course (or any, for administrators), enrol the class and
    give it the assessment components of the course version in force for the class's intake."""
    from ..assessment.services import grade_components_from_version

    _require_course_editor(actor=actor, course=course)
    if teacher is not None and teacher.role != Role.TEACHER:
        raise ApplicationError(_("The offering's teacher must be a teacher."), code="teacher_role")
    try:
        with transaction.atomic():
            offering = offering_create(actor=actor, course=course, term=term, school_class=school_class,
                                       teacher=teacher)
    except IntegrityError:
        raise ApplicationError(_("This course is already offered to this class in this term."),
                               code="duplicate_offering") from None
    grade_components_from_version(actor=actor, offering=offering)
    return offering
