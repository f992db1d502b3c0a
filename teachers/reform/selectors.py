"""Reads for course reform: the version in force, the current content, the diff, scoping."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Role, User

from ..models import Competency, Course, CourseCompetencyWeight, ProgramCourse
from .models import CourseVersion, Reform, ReformReviewer


def version_in_force(*, course: Course, intake_year: int) -> CourseVersion | None:
    return (CourseVersion.objects.filter(course=course, applies_from_intake__lte=intake_year)
            .order_by("-number").first())


def course_current_content(*, course: Course) -> dict:
    """The content a reform starts from: the latest approved version, or the course as the
    newest program that teaches it has it (credits and weights), with its description."""
    version = CourseVersion.objects.filter(course=course).order_by("-number").first()
    if version is not None:
        return {"objectives": version.objectives, "modules": version.modules, "components": version.components,
                "weights": version.weights, "credits": version.credits, "version": version}
    pc = (ProgramCourse.objects.filter(course=course).select_related("program")
          .order_by("-program__intake_year").first())
    weights = {}
    if pc is not None:
        weights = {code: str(w.normalize()) for code, w in CourseCompetencyWeight.objects.filter(
            program_course=pc).values_list("competency__code", "weight")}
    return {"objectives": course.description, "modules": [], "components": [], "weights": weights,
            "credits": pc.credits if pc else Decimal("2"), "version": None}


def reforms_for_user(*, user: User) -> QuerySet[Reform]:
    qs = Reform.objects.select_related("course", "proposer").annotate(
        n_reviewers=Count("reviewers", distinct=True), n_votes=Count("votes", distinct=True)).order_by("-updated_at", "-id")
    if user.role == Role.SCHOOL_ADMIN:
        return qs
    if user.role == Role.TEACHER:
        return qs.filter(Q(proposer=user) | Q(course__owners=user)).distinct()
    return qs.filter(reviewers__reviewer=user).exclude(status=Reform.Status.DRAFT)


def reform_get_for_user(*, user: User, reform_id: int) -> Reform:
    reform = get_object_or_404(Reform.objects.select_related("course__major", "proposer", "base_version"),
                               pk=reform_id)
    if user.role == Role.SCHOOL_ADMIN or reform.proposer_id == user.pk:
        return reform
    if user.role == Role.TEACHER and reform.course.owners.filter(pk=user.pk).exists():
        return reform
    if (user.role in (Role.INDUSTRY, Role.ENTERPRISE) and reform.status != Reform.Status.DRAFT
            and ReformReviewer.objects.filter(reform=reform, reviewer=user).exists()):
        return reform
    raise Http404  # not theirs answers as missing: no existence oracle on ids


def reform_can_edit(*, user: User, reform: Reform) -> bool:
    return reform.status == Reform.Status.DRAFT and (reform.proposer_id == user.pk or user.role == Role.SCHOOL_ADMIN)


def reviewer_candidates() -> QuerySet[User]:
    return User.objects.filter(role__in=(Role.INDUSTRY, Role.ENTERPRISE), is_active=True).order_by("role", "username")


# --- the side-by-side diff ---------------------------------------------------------

@dataclass
class DiffRow:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class DiffSection:
    section: str
    title: str
    rows: list[DiffRow] = field(default_factory=list)
    text_diff: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, before line, after line)

    @property
    def changed(self) -> bool:
        return any(r.changed for r in self.rows) or any(tag != "equal" for tag, _b, _a in self.text_diff)


def _num(value) -> str:
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(str(value)).normalize():f}"
    except ArithmeticError:
        return str(value)


def _text_diff(before: str, after: str) -> list[tuple[str, str, str]]:
    a, b = (before or "").splitlines(), (after or "").splitlines()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        left, right = a[i1:i2], b[j1:j2]
        for k in range(max(len(left), len(right))):
            out.append((tag, left[k] if k < len(left) else "", right[k] if k < len(right) else ""))
    return out


def reform_diff(*, reform: Reform) -> list[DiffSection]:
    """Each section of the current version beside the proposal, changes marked."""
    current = course_current_content(course=reform.course)
    names = {}
    if reform.course.major_id:
        names = {c.code: c.display_name for c in Competency.objects.filter(major_id=reform.course.major_id)}
    objectives = DiffSection("objectives", _("Objectives"),
                             text_diff=_text_diff(current["objectives"], reform.objectives))
    modules = DiffSection("modules", _("Training modules"))
    old_m, new_m = current["modules"] or [], reform.modules or []
    for i in range(max(len(old_m), len(new_m))):
        def show(m):
            return f"{m.get('title', '')} ({m.get('hours', '')} h) {m.get('content', '')}".strip() if m else ""
        modules.rows.append(DiffRow(str(i + 1), show(old_m[i] if i < len(old_m) else None),
                                    show(new_m[i] if i < len(new_m) else None)))
    components = DiffSection("components", _("Assessment components"))
    old_c = {c["code"]: c for c in current["components"] or []}
    new_c = {c["code"]: c for c in reform.components or []}
    for code in list(old_c) + [c for c in new_c if c not in old_c]:
        def show_c(c):
            return f"{c['name']} · {_num(c['weight'])}%" if c else ""
        components.rows.append(DiffRow(code, show_c(old_c.get(code)), show_c(new_c.get(code))))
    weights = DiffSection("weights", _("Competency weights"))
    for code in list(names) + [c for c in {**current["weights"], **reform.weights} if c not in names]:
        before, after = _num(current["weights"].get(code)), _num(reform.weights.get(code))
        if before or after:
            weights.rows.append(DiffRow(names.get(code, code), before, after))
    credits = DiffSection("credits", _("Credits"), rows=[DiffRow(_("Credits"), _num(current["credits"]),
                                                                 _num(reform.credits))])
    return [objectives, modules, components, weights, credits]


def reformer_courses(*, user: User) -> QuerySet[Course]:
    """Courses the user may propose a reform for: their own; every course for administrators."""
    qs = Course.objects.select_related("major").order_by("code")
    if user.role == Role.SCHOOL_ADMIN:
        return qs
    return qs.filter(owners=user)
