from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin

from . import gradebook_jobs, selectors, services
from .assessment.io import gradebook_import_any
from .assessment.selectors import component_cells, components_for_offering
from .gradebook_io import MAX_IMPORT_BYTES, gradebook_export
from .permissions import GRADEBOOK_ROLES, HOME_ROLES


class HomeView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "teachers/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["offerings"] = selectors.offerings_for_teacher(user=self.request.user)
        return ctx


class GradebookView(RoleRequiredMixin, View):
    """Enter and correct the final grades of one offering; import and export them."""

    allowed_roles = GRADEBOOK_ROLES
    template_name = "teachers/gradebook.html"

    def _render(self, request, offering, *, errors=None, report=None, status=200, posted=None):
        rows = list(selectors.gradebook_rows(offering=offering))
        errors = errors or {}
        posted = posted or {}
        for row in rows:
            row.error = errors.get(row.pk)
            row.posted = posted.get(row.pk)
        components = components_for_offering(offering=offering)
        if components:  # process-based assessment: component scores, final computed
            component_cells(offering=offering, rows=rows, components=components, errors=errors, posted=posted)
        return render(request, self.template_name, {
            "offering": offering, "rows": rows, "report": report, "form_error": errors.get(0),
            "components": components,
            "changes": selectors.grade_changes_for_offering(offering=offering, limit=50),
        }, status=status)

    def get(self, request, offering_id: int):
        offering = selectors.offering_get_for_user(user=request.user, offering_id=offering_id)
        return self._render(request, offering)

    def post(self, request, offering_id: int):
        offering = selectors.offering_get_for_user(user=request.user, offering_id=offering_id)
        scores = {}
        for key, value in request.POST.items():
            if key.startswith("score-"):
                try:
                    scores[int(key.removeprefix("score-"))] = value
                except ValueError:
                    continue
        try:
            changed = services.gradebook_save(
                actor=request.user, offering=offering, scores=scores, reason=request.POST.get("reason", "")
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self._render(request, offering, errors=exc.extra or {}, status=400, posted=scores)
        messages.success(request, _("%(n)d grade(s) saved.") % {"n": changed})
        return redirect("teachers:gradebook", offering_id=offering.pk)


class GradebookImportView(RoleRequiredMixin, View):
    allowed_roles = GRADEBOOK_ROLES

    def post(self, request, offering_id: int):
        offering = selectors.offering_get_for_user(user=request.user, offering_id=offering_id)
        upload = request.FILES.get("file")
        view = GradebookView()
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX file to import."))
            return view._render(request, offering, status=400)
        if upload.size > MAX_IMPORT_BYTES:  # before reading a byte of it
            messages.error(request, _("The file is larger than 10 MB."))
            return view._render(request, offering, status=400)
        data, name, reason = upload.read(), upload.name or "", request.POST.get("reason", "")
        try:
            if gradebook_jobs.gradebook_import_is_big(upload_name=name, data=data):
                # Too many rows to validate and apply within the request: a worker does it.
                job = gradebook_jobs.gradebook_import_enqueue(actor=request.user, offering=offering,
                                                              upload_name=name, data=data, reason=reason)
                return redirect("teachers:gradebook_import_status", offering_id=offering.pk, import_id=job.pk)
            report = gradebook_import_any(actor=request.user, offering=offering, upload_name=name, data=data,
                                          reason=reason)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return view._render(request, offering, status=400)
        if not report.ok:
            messages.error(request, _("Nothing was imported: %(n)d row(s) have problems. Fix them and import the file again.")
                           % {"n": report.error_count})
            return view._render(request, offering, report=report, status=400)
        messages.success(request, _("Imported %(rows)d row(s); %(changed)d grade(s) changed.")
                         % {"rows": report.rows, "changed": report.applied})
        return redirect("teachers:gradebook", offering_id=offering.pk)


class GradebookImportStatusView(RoleRequiredMixin, View):
    """A worker's import: progress while it runs (the status fragment polls itself with
    htmx), then the result — grades applied, or the rows with problems."""

    allowed_roles = GRADEBOOK_ROLES

    def get(self, request, offering_id: int, import_id: int):
        job = gradebook_jobs.gradebook_import_get_for_user(user=request.user, offering_id=offering_id,
                                                           import_id=import_id)
        ctx = {"job": job, "offering": job.offering, "message": gradebook_jobs.import_message(job)}
        if request.headers.get("HX-Request"):
            return render(request, "teachers/_gradebook_import_status.html", ctx)
        return render(request, "teachers/gradebook_import.html", ctx)


class GradebookExportView(RoleRequiredMixin, View):
    allowed_roles = GRADEBOOK_ROLES

    def get(self, request, offering_id: int, fmt: str):
        if fmt not in ("csv", "xlsx"):
            raise Http404
        offering = selectors.offering_get_for_user(user=request.user, offering_id=offering_id)
        content, content_type, filename = gradebook_export(offering=offering, fmt=fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
