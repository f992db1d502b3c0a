"""Pages for points, rankings and tiers (issue 4). Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import RoleRequiredMixin

from . import growth_permissions as perms
from . import points, rankings
from .growth_models import PointEntry, PointSource
from .models import StudentProfile


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


class RankingView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.RANKING_ROLES
    template_name = "students/rankings.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        user = request.user
        scope = request.GET.get("scope") or ("cohort" if user.role == Role.STUDENT else "school")
        ctx.update(scope=scope, scopes=[(s, rankings.SCOPE_LABELS[s]) for s in rankings.SCOPES], error=None,
                   params={k: request.GET.get(k, "") for k in ("major", "cohort", "class", "competency")})
        try:
            group = rankings.ranking_group_for(user=user, scope=scope, params=request.GET)
            competency = rankings.resolve_competency(request.GET.get("competency"), group_major_id=group.major_id)
            page = rankings.ranking_page(group=group, competency=competency, page=_int(request.GET.get("page")),
                                         page_size=self.page_size)
        except ApplicationError as exc:
            ctx["error"] = exc.message
            return ctx
        ctx.update(group=group, page=page, competency=competency, refresh_delay=rankings.refresh_delay_seconds())
        query = "&".join(f"{k}={v}" for k, v in ctx["params"].items() if v)
        ctx["query"] = f"scope={scope}" + (f"&{query}" if query else "")
        if user.role == Role.STUDENT:
            student = rankings.student_profile_for(user)
            ctx["own"] = rankings.own_position(group=group, student=student, competency=competency)
            ctx["own_student_id"] = student.pk
        return ctx


class PointsView(RoleRequiredMixin, TemplateView):
    """A student's own ledger, total, position in every scope and tiers."""

    allowed_roles = (Role.STUDENT,)
    template_name = "students/points.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            student = rankings.student_profile_for(self.request.user)
        except ApplicationError as exc:
            raise Http404(exc.message) from None
        from django.core.paginator import Paginator

        paginator = Paginator(points.points_entries_for_student(student=student), 30)
        ctx.update(
            student=student,
            total=points.points_total_for_student(student=student),
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
            raise PermissionDenied
        return student

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        student = self.get_student()
        from django.core.paginator import Paginator

        paginator = Paginator(points.points_entries_for_student(student=student), 30)
        ctx.update(student=student, total=points.points_total_for_student(student=student),
                   tier=rankings.current_tier(student=student), page=paginator.get_page(self.request.GET.get("page")),
                   sources=PointSource.choices)
        return ctx


class PointsGrantView(StudentPointsView):
    http_method_names = ["post"]

    def post(self, request, student_number):
        student = self.get_student()
        try:
            amount = int(request.POST.get("amount", ""))
        except ValueError:
            messages.error(request, _("Enter a whole number of points."))
        else:
            try:
                points.points_grant(actor=request.user, student=student, source=PointSource.TEACHER_AWARD,
                                    amount=amount, reason=request.POST.get("reason", ""))
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
            points.points_reverse(actor=request.user, entry=entry, reason=request.POST.get("reason", ""))
            messages.success(request, _("The entry has been reversed."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("students:student_points", args=[student.student_number]))


