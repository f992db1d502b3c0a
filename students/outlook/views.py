"""Employment outlook pages: the student's outlook and the school admin's model report."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin

from .. import permissions as perms
from ..profiles.selectors import student_profile_for_user
from . import selectors


class OutlookView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.OUTLOOK_ROLES
    template_name = "students/outlook.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        student = student_profile_for_user(user=self.request.user)
        ctx["outlook"] = selectors.outlook_for_student(student=student)
        return ctx


class OutlookAdminView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.OUTLOOK_ADMIN_ROLES
    template_name = "students/outlook_admin.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["models"] = list(selectors.outlook_models_active())
        return ctx


class OutlookRetrainView(RoleRequiredMixin, View):
    allowed_roles = perms.OUTLOOK_ADMIN_ROLES
    http_method_names = ["post"]

    def post(self, request):
        from .tasks import outlook_train_task

        transaction.on_commit(outlook_train_task.delay)
        messages.success(request, _("Retraining has been queued; the figures update when it finishes."))
        return redirect("students:outlook_admin")
