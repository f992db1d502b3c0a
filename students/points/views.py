"""Pages of the points ledger: the student's own, and a teacher's view of a student with grant and reverse."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import RoleRequiredMixin
from teachers.models import Competency

from .. import permissions as perms
from ..profiles.models import StudentProfile
from ..profiles.selectors import student_profile_for_user
from ..rankings import selectors as rankings
from . import selectors, services
from .models import PointEntry, PointSource


class PointsView(RoleRequiredMixin, TemplateView):
    """A student's own ledger, total, position in every scope and tiers."""

    allowed_roles = (Role.STUDENT,)
    template_name = "students/points.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        student = student_profile_for_user(user=self.request.user)

        paginator = Paginator(selectors.points_entries_for_student(student=student), 30)
        ctx.update(
            student=student,
            total=selectors.points_total_for_student(student=student),
            positions=rankings.own_positions_all_scopes(student=student),
            tier=rankings.current_tier(student=student),
            term_tiers=rankings.term_tiers_for_student(student=student),
            page=paginator.get_page(self.request.GET.get("page")),
        )
        return ctx


class StudentPointsView(RoleRequiredMixin, TemplateView):
    """A teacher's or school admin's view of one student's ledger, with grant and reverse."""

    allowed_roles = perms.POINTS_MANAGER_ROLES
    template_name = "students/student_points.html"

    def get_student(self) -> StudentProfile:
        student = get_object_or_404(
            StudentProfile.objects.select_related("user", "major", "school_class"),
            student_number=self.kwargs["student_number"],
        )
        if not perms.can_manage_student(self.request.user, student):
            raise Http404  # as for a number that does not exist: no existence oracle
        return student

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        student = self.get_student()
        paginator = Paginator(selectors.points_entries_for_student(student=student), 30)
        ctx.update(student=student, total=selectors.points_total_for_student(student=student),
                   tier=rankings.current_tier(student=student), page=paginator.get_page(self.request.GET.get("page")),
                   sources=PointSource.choices, competencies=Competency.objects.filter(major_id=student.major_id))
        return ctx


class PointsGrantView(StudentPointsView):
    """A teacher's award: points, a reason and the competency it rewards (in the current term)."""

    http_method_names = ["post"]

    def post(self, request, student_number):
        student = self.get_student()
        try:
            amount = int(request.POST.get("amount", ""))
            competency_id = int(request.POST.get("competency") or 0) or None
        except ValueError:
            messages.error(request, _("Enter a whole number of points."))
        else:
            try:
                services.points_grant_teacher_award(actor=request.user, student=student, amount=amount,
                                                    reason=request.POST.get("reason", ""),
                                                    competency_id=competency_id)
                messages.success(request, _("Points granted."))
            except ApplicationError as exc:
                messages.error(request, exc.message)
        return redirect(reverse("students:student_points", args=[student.student_number]))


class PointsReverseView(StudentPointsView):
    http_method_names = ["post"]

    def post(self, request, student_number, entry_id):
        student = self.get_student()
        entry = get_object_or_404(PointEntry, pk=entry_id, student=student)
        try:
            services.points_reverse(actor=request.user, entry=entry,
                                    reason=request.POST.get("reason", "").strip() or gettext_noop("Reversed by staff"))
            messages.success(request, _("The entry has been reversed."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("students:student_points", args=[student.student_number]))


