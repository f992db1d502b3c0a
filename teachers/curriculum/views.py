"""Courses, programs, credits, weights and offerings in the site (no Django admin needed)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin

from ..models import Competency, Course, CourseOffering, ProgramCourse
from ..permissions import CURRICULUM_ROLES, PROGRAM_ADMIN_ROLES, course_can_edit, is_school_admin
from ..reform.models import CourseVersion, Reform
from ..reform.selectors import reformer_courses
from . import selectors, services
from .forms import CourseForm, OfferingForm, ProgramForm


def _form_page(request, *, form, title, back_url, back_label, status=200, submit_id="save"):
    return render(request, "teachers/curriculum/form.html", {
        "form": form, "title": title, "back_url": back_url, "back_label": back_label, "submit_id": submit_id,
    }, status=status)


class CourseListView(RoleRequiredMixin, TemplateView):
    allowed_roles = CURRICULUM_ROLES
    template_name = "teachers/curriculum/course_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()[:100]
        ctx.update(courses=selectors.courses_for_user(user=self.request.user, query=q)[:300], q=q)
        return ctx


class CourseCreateView(RoleRequiredMixin, View):
    allowed_roles = CURRICULUM_ROLES

    def get(self, request):
        form = CourseForm(can_set_owners=is_school_admin(request.user))
        return _form_page(request, form=form, title=_("New course"), back_url="teachers:course_list",
                          back_label=_("Courses"))

    def post(self, request):
        form = CourseForm(request.POST, can_set_owners=is_school_admin(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                course = services.course_create(actor=request.user, code=data["code"], name=data["name"],
                                                name_en=data["name_en"], major=data["major"], kind=data["kind"],
                                                description=data["description"], owners=list(data.get("owners") or []))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Course created."))
                return redirect("teachers:course_detail", course_id=course.pk)
        return _form_page(request, form=form, title=_("New course"), back_url="teachers:course_list",
                          back_label=_("Courses"), status=400)


class CourseDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = CURRICULUM_ROLES
    template_name = "teachers/curriculum/course_detail.html"

    def get_context_data(self, course_id: int, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        course = selectors.course_get_for_user(user=user, course_id=course_id)
        ctx.update(
            course=course, can_edit=course_can_edit(user=user, course=course),
            owners=list(course.owners.all()), program_rows=selectors.course_program_rows(course=course),
            versions=list(CourseVersion.objects.filter(course=course).select_related("reform", "approved_by")),
            reforms=list(Reform.objects.filter(course=course).select_related("proposer")[:20]),
            offerings=list(CourseOffering.objects.filter(course=course).select_related(
                "term", "school_class", "teacher")[:50]),
        )
        return ctx


class CourseEditView(RoleRequiredMixin, View):
    allowed_roles = CURRICULUM_ROLES

    def _course(self, request, course_id):
        course = selectors.course_get_for_user(user=request.user, course_id=course_id)  # 404 unless they may see it
        if not course_can_edit(user=request.user, course=course):
            raise PermissionDenied
        return course

    def get(self, request, course_id: int):
        course = self._course(request, course_id)
        initial = {f: getattr(course, f) for f in services.COURSE_FIELDS}
        initial["owners"] = list(course.owners.all())
        initial |= {"golden_level": course.golden_level, "golden_year": course.golden_year}
        form = CourseForm(initial=initial, can_set_owners=is_school_admin(request.user))
        return _form_page(request, form=form, title=_("Edit course %(code)s") % {"code": course.code},
                          back_url="teachers:course_list", back_label=_("Courses"))

    def post(self, request, course_id: int):
        course = self._course(request, course_id)
        form = CourseForm(request.POST, can_set_owners=is_school_admin(request.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            owners = data.pop("owners", None)
            golden = (data.pop("golden_level"), data.pop("golden_year")) if "golden_level" in data else None
            try:
                with transaction.atomic():
                    services.course_update(actor=request.user, course=course, data=data,
                                           owners=list(owners) if owners is not None else None)
                    if golden is not None:
                        services.course_golden_set(actor=request.user, course=course, level=golden[0],
                                                   year=golden[1])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Course saved."))
                return redirect("teachers:course_detail", course_id=course.pk)
        return _form_page(request, form=form, title=_("Edit course %(code)s") % {"code": course.code},
                          back_url="teachers:course_list", back_label=_("Courses"), status=400)


class ProgramListView(RoleRequiredMixin, TemplateView):
    allowed_roles = CURRICULUM_ROLES
    template_name = "teachers/curriculum/program_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(programs=selectors.programs_for_user(user=self.request.user),
                   can_create=is_school_admin(self.request.user))
        return ctx


class ProgramCreateView(RoleRequiredMixin, View):
    allowed_roles = PROGRAM_ADMIN_ROLES

    def get(self, request):
        return _form_page(request, form=ProgramForm(), title=_("New talent-training program"),
                          back_url="teachers:program_list", back_label=_("Programs"))

    def post(self, request):
        form = ProgramForm(request.POST)
        if form.is_valid():
            try:
                program = services.program_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Program created: add its courses."))
                return redirect("teachers:program_detail", program_id=program.pk)
        return _form_page(request, form=form, title=_("New talent-training program"),
                          back_url="teachers:program_list", back_label=_("Programs"), status=400)


class ProgramDetailView(RoleRequiredMixin, View):
    """The program's courses with credits, semester and competency weights; owners and
    administrators add or change rows (weights validated by the service, once)."""

    allowed_roles = CURRICULUM_ROLES
    template_name = "teachers/curriculum/program_detail.html"

    def _render(self, request, program, *, status=200, posted=None, edit_course=None):
        rows = selectors.program_rows(program=program, user=request.user)
        competencies = list(Competency.objects.filter(major=program.major).order_by("order", "code"))
        for row in rows:
            by_comp = {w.competency_id: w.weight for w in row.weights.all()}
            row.weight_list = [by_comp.get(c.pk) for c in competencies]
        editable = reformer_courses(user=request.user).filter(major=program.major)
        posted = posted or {}
        if edit_course is not None and not posted:
            row = next((r for r in rows if r.course_id == edit_course.pk), None)
            if row is not None:
                posted = {"course": str(row.course_id), "credits": row.credits, "semester": row.semester,
                          **{f"w-{c.pk}": v for c, v in zip(competencies, row.weight_list, strict=True) if v}}
        return render(request, self.template_name, {
            "program": program, "rows": rows, "competencies": competencies, "editable_courses": editable,
            "posted": posted, "weight_inputs": [(c, posted.get(f"w-{c.pk}", "")) for c in competencies],
        }, status=status)

    def get(self, request, program_id: int):
        program = selectors.program_get_for_user(user=request.user, program_id=program_id)
        edit = request.GET.get("course")
        edit_course = Course.objects.filter(pk=edit).first() if edit and edit.isdigit() else None
        return self._render(request, program, edit_course=edit_course)

    def post(self, request, program_id: int):
        program = selectors.program_get_for_user(user=request.user, program_id=program_id)
        course = get_object_or_404(Course, pk=request.POST.get("course") or 0)
        weights = {}
        try:
            for key, value in request.POST.items():
                if key.startswith("w-") and key[2:].isdigit() and value.strip():
                    weights[int(key[2:])] = Decimal(value.strip())
            services.program_course_edit(actor=request.user, program=program, course=course,
                                         credits=request.POST.get("credits"), semester=request.POST.get("semester"),
                                         weights=weights)
        except ArithmeticError:
            messages.error(request, _("Weights must be numbers."))
            return self._render(request, program, status=400, posted=request.POST.dict())
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self._render(request, program, status=exc.status_code, posted=request.POST.dict())
        messages.success(request, _("%(course)s saved in the program; the cohort's radars are recomputed.")
                         % {"course": course.code})
        return redirect("teachers:program_detail", program_id=program.pk)


class ProgramCourseRemoveView(RoleRequiredMixin, View):
    allowed_roles = CURRICULUM_ROLES

    def post(self, request, program_id: int, course_id: int):
        program = selectors.program_get_for_user(user=request.user, program_id=program_id)
        pc = get_object_or_404(ProgramCourse.objects.select_related("course", "program"), program=program,
                               course_id=course_id)
        try:
            services.program_course_remove(actor=request.user, program_course=pc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return ProgramDetailView()._render(request, program, status=exc.status_code)
        messages.success(request, _("Course removed from the program."))
        return redirect("teachers:program_detail", program_id=program.pk)


class OfferingCreateView(RoleRequiredMixin, View):
    allowed_roles = CURRICULUM_ROLES

    def _form(self, request, data=None):
        initial = {"course": request.GET.get("course")} if data is None else None
        return OfferingForm(data, initial=initial, courses=reformer_courses(user=request.user))

    def get(self, request):
        return _form_page(request, form=self._form(request), title=_("New course offering"),
                          back_url="teachers:course_list", back_label=_("Courses"))

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                offering = services.offering_add(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Offering created; the class is enrolled."))
                return redirect("teachers:course_detail", course_id=offering.course_id)
        return _form_page(request, form=form, title=_("New course offering"),
                          back_url="teachers:course_list", back_label=_("Courses"), status=400)
