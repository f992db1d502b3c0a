"""Pages turning an enterprise case of the resource library into an order-based project
or a graduation topic: the usual form, prefilled from the case (projects/cases.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import ApplicationError
from accounts.models import Organization
from accounts.permissions import RoleRequiredMixin

from . import cases
from .cohort_views import topic_form_for_majors, topic_propose_arguments
from .forms import ProjectForm
from .permissions import PUBLISH_ROLES, TOPIC_ROLES, enterprise_ids_for_user

TEMPLATE = "projects/case_convert.html"


class CaseConvertView(RoleRequiredMixin, View):
    target = "project"

    @property
    def allowed_roles(self):
        return PUBLISH_ROLES if self.target == "project" else TOPIC_ROLES

    def _case(self, request, case_id: int):
        case = cases.case_get_for_user(user=request.user, case_id=case_id)
        if not cases.case_may_convert(user=request.user, case=case, target=self.target):
            raise PermissionDenied
        return case

    def _page(self, request, case, form, status=200):
        return render(request, TEMPLATE, {"case": case, "form": form, "target": self.target}, status=status)

    def get(self, request, case_id: int):
        case = self._case(request, case_id)
        if self.target == "project":
            form = ProjectForm(initial=cases.case_project_initial(case=case))
        else:
            form = topic_form_for_majors(initial=cases.case_topic_initial(case=case))
        return self._page(request, case, form)

    def post(self, request, case_id: int):
        case = self._case(request, case_id)
        form = ProjectForm(request.POST) if self.target == "project" else topic_form_for_majors(request.POST)
        if not form.is_valid():
            return self._page(request, case, form, status=400)
        data = dict(form.cleaned_data)
        try:
            if self.target == "project":
                competencies = data.pop("competencies")
                enterprise = Organization.objects.get(pk=enterprise_ids_for_user(request.user)[0])
                project = cases.project_from_case(actor=request.user, case=case, enterprise=enterprise,
                                                  competency_ids=[c.pk for c in competencies], **data)
            else:
                cases.topic_from_case(actor=request.user, case=case,
                                      **topic_propose_arguments(me=request.user, data=data))
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
            return self._page(request, case, form, status=exc.status_code)
        if self.target == "project":
            messages.success(request, _("Sent to the school for moderation."))
            return redirect("projects:project_detail", project_id=project.pk)
        messages.success(request, _("Topic proposed; the school will review it."))
        return redirect("projects:graduation")
