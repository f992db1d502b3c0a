"""What can be evaluated: a small registry of subject types.

A round points at its subject generically (content type + id) and keeps a snapshot of its
title. To make another record evaluable (an internship post, a project, a graduation-design
stage) add one `SubjectType` to SUBJECT_TYPES below, e.g.:

    SubjectType(code="internship_post", model="enterprises.InternshipPost",
                label=_("Internship post"), credit=Decimal("4"),
                title=lambda post: f"{post.enterprise} · {post.title}",
                student_user_ids=lambda post: post.interns.values_list("user_id", flat=True),
                can_organise=lambda user, post: post.mentor_id == user.pk)

`student_user_ids` lists the users who can be evaluated on the subject (and who are each
other's peers); `can_organise` says who may open rounds on it besides school administrators.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import Role


@dataclass(frozen=True)
class SubjectType:
    code: str
    model: str  # "app_label.ModelName"
    label: str | Promise
    title: Callable[[models.Model], str]
    student_user_ids: Callable[[models.Model], Iterable[int]]
    can_organise: Callable[[object, models.Model], bool]
    credit: Decimal = Decimal("2")  # default weight on the radar; school administrators may change it

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


def _offering_title(offering) -> str:
    return f"{offering.course.code} {offering.course.name} · {offering.school_class.name} · {offering.term.code}"


def _offering_students(offering) -> Iterable[int]:
    return offering.enrolments.values_list("student_id", flat=True)


def _activity_students(activity) -> Iterable[int]:
    # Activities have no roster of their own: the organiser chooses the students.
    return []


SUBJECT_TYPES: list[SubjectType] = [
    SubjectType(
        code="course_offering", model="teachers.CourseOffering", label=_("Practice course offering"),
        title=_offering_title, student_user_ids=_offering_students,
        can_organise=lambda user, offering: offering.teacher_id == user.pk, credit=Decimal("2"),
    ),
] + [
    # Practice activities entered in this app, one subject type per kind (and its default credit).
    SubjectType(code=kind, model="evaluations.PracticeActivity", label=label, title=lambda a: a.title,
                student_user_ids=_activity_students, can_organise=lambda user, a: a.organiser_id == user.pk,
                credit=Decimal(credit))
    for kind, label, credit in (("internship", _("Internship post"), "4"), ("project", _("Project"), "3"),
                                ("graduation", _("Graduation-design stage"), "3"), ("studio", _("Studio term"), "2"))
]


# Internship posts (enterprises.internships): opened when a post ends (internship_posts.py).
SUBJECT_TYPES.append(SubjectType(
    code="internship_post", model="enterprises.Post", label=_("Internship post (placement)"),
    title=lambda post: f"{post.placement.organization.name} · {post.title}",
    student_user_ids=lambda post: [post.placement.student.user_id],
    can_organise=lambda user, post: user.pk in (post.placement.tutor_id, post.placement.mentor_id),
    credit=Decimal("4")))


def subject_type(code: str) -> SubjectType:
    for entry in SUBJECT_TYPES:
        if entry.code == code:
            return entry
    raise ApplicationError(_("Unknown subject type."), code="unknown_subject_type")


def subject_type_choices() -> list[tuple[str, str]]:
    return [(entry.code, entry.label) for entry in SUBJECT_TYPES]


def subject_get(*, kind: str, subject_id: int) -> tuple[SubjectType, models.Model, ContentType]:
    entry = subject_type(kind)
    model = entry.model_class
    obj = model._default_manager.filter(pk=subject_id).first()
    if obj is None:
        raise ApplicationError(_("No such subject."), code="unknown_subject", status_code=404)
    if kind in ACTIVITY_KINDS and obj.kind != kind:
        raise ApplicationError(_("No such subject."), code="unknown_subject", status_code=404)
    return entry, obj, ContentType.objects.get_for_model(model)


def user_can_organise(user, entry: SubjectType, obj: models.Model) -> bool:
    if user.role == Role.SCHOOL_ADMIN:
        return True
    return user.role in (Role.TEACHER, Role.ENTERPRISE) and bool(entry.can_organise(user, obj))


ACTIVITY_KINDS = ("internship", "project", "graduation", "studio")
