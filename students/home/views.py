"""The student's home page."""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin

from ..permissions import HOME_ROLES
from ..profiles import selectors
from .selectors import student_dashboard


class HomeView(RoleRequiredMixin, TemplateView):
    """The student's dashboard: competences, points and rank, awards, resume, lab jobs."""

    allowed_roles = HOME_ROLES
    template_name = "students/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            student = selectors.student_profile_for_user(user=self.request.user)
        except Http404:
            # An account not yet linked to a student record: say so instead of a bare 404.
            context["dashboard"] = None
        else:
            context["dashboard"] = student_dashboard(student=student)
        return context
