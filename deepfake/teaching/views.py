"""Guide pages, lab assignments and reports. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import RoleRequiredMixin

from . import selectors, services
from .figures import line_chart
from .forms import AttachForm, GradeForm, ReportForm
from .guides import GUIDES, guide_get
from .permissions import ATTACH_ROLES, GRADE_ROLES, GUIDE_ROLES, SUBMIT_ROLES, can_manage_assignment, can_submit


def _lab_figures() -> dict:
    """The active detector's figures and numbers, which the guides discuss."""
    from ..selectors import detector_model_active

    model = detector_model_active()
    if model is None:
        return {}
    metrics = model.metrics or {}
    test = metrics.get("test", {})
    per_generator = [(name.removeprefix("fake_"), values.get("auc"), values.get("accuracy"))
                     for name, values in test.items() if name != "pooled" and isinstance(values, dict)]
    spectra = metrics.get("mean_spectra", {})
    history = metrics.get("history", [])
    splits = metrics.get("splits", {})
    sources = sorted({source for part in splits.values() for source in part})
    return {
        "model": model, "per_generator": per_generator, "pooled": test.get("pooled", {}),
        "threshold": model.threshold, "video_threshold": metrics.get("video_threshold"),
        "video_calibration": metrics.get("video_calibration", {}),
        "split_rows": [(source, [splits.get(part, {}).get(source, 0) for part in ("train", "val", "test")])
                       for source in sources],
        "spectra_svg": line_chart([(name.removeprefix("fake_"), values) for name, values in sorted(spectra.items())
                                   if name != "fake"], x_label=_("frequency (low → high)"),
                                  y_label=_("mean log magnitude"), chart_id="spectra-chart"),
        "history_svg": line_chart([(_("training loss"), [h.get("train_loss") for h in history]),
                                   (_("weakest generator's validation AUC"),
                                    [h.get("val_auc_min_source") for h in history])],
                                  x_label=_("epoch"), y_label=_("loss / AUC"), y_range=(0.0, 1.0),
                                  chart_id="history-chart"),
    }


class GuideListView(RoleRequiredMixin, View):
    allowed_roles = GUIDE_ROLES

    def get(self, request):
        if request.user.role == Role.STUDENT:
            assignments = selectors.pending_for_student(user=request.user, limit=50)
        else:
            assignments = list(selectors.assignment_list_for_user(user=request.user)[:100])
        return render(request, "deepfake/guides/list.html", {"guides": GUIDES, "assignments": assignments})


def _guide_context(request, guide, attach_form=None) -> dict:
    context = {"guide": guide, "guides": GUIDES, "lab": _lab_figures(),
               "assignments": list(selectors.assignment_list_for_user(user=request.user, guide=guide.slug)[:50]),
               "previous": next((g for g in GUIDES if g.number == guide.number - 1), None),
               "next": next((g for g in GUIDES if g.number == guide.number + 1), None)}
    if request.user.role in ATTACH_ROLES:
        context["attach_form"] = attach_form or AttachForm(
            components_queryset=selectors.components_for_attach(user=request.user))
    return context


class GuideDetailView(RoleRequiredMixin, View):
    allowed_roles = GUIDE_ROLES

    def get(self, request, slug: str):
        guide = guide_get(slug)
        if guide is None:
            raise Http404("No such guide.")
        return render(request, "deepfake/guides/detail.html", _guide_context(request, guide))


class GuideAttachView(RoleRequiredMixin, View):
    allowed_roles = ATTACH_ROLES
    http_method_names = ["post"]

    def post(self, request, slug: str):
        guide = guide_get(slug)
        if guide is None:
            raise Http404("No such guide.")
        form = AttachForm(request.POST, components_queryset=selectors.components_for_attach(user=request.user))
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                assignment = services.assignment_attach(actor=request.user, guide=guide.slug, component=d["component"],
                                                        instructions=d["instructions"], due_at=d["due_at"])
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status_code
            else:
                messages.success(request, _("The guide is attached; the class has been told."))
                return redirect("deepfake:lab_assignment", assignment_id=assignment.pk)
        return render(request, "deepfake/guides/detail.html", _guide_context(request, guide, attach_form=form),
                      status=status)


def _assignment_context(request, assignment, report_form=None, grade_errors=None) -> dict:
    manage = can_manage_assignment(request.user, assignment)
    reports = selectors.reports_for_assignment(user=request.user, assignment=assignment)
    return {
        "assignment": assignment, "guide": guide_get(assignment.guide), "reports": reports,
        "can_manage": manage, "can_submit": can_submit(request.user, assignment),
        "my_report": selectors.own_report(user=request.user, assignment=assignment)
        if request.user.role == Role.STUDENT else None,
        "report_form": report_form or ReportForm(), "grade_errors": grade_errors or {},
    }


class AssignmentDetailView(RoleRequiredMixin, View):
    allowed_roles = GUIDE_ROLES

    def get(self, request, assignment_id: int):
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        return render(request, "deepfake/guides/assignment.html", _assignment_context(request, assignment))


class ReportSubmitView(RoleRequiredMixin, View):
    allowed_roles = SUBMIT_ROLES
    http_method_names = ["post"]

    def post(self, request, assignment_id: int):
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        form = ReportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                services.report_submit(actor=request.user, assignment=assignment, uploaded_file=form.cleaned_data["file"])
            except ApplicationError as exc:
                form.add_error("file", str(exc.message))
                status = exc.status_code
            else:
                messages.success(request, _("Report submitted."))
                return redirect("deepfake:lab_assignment", assignment_id=assignment.pk)
        return render(request, "deepfake/guides/assignment.html",
                      _assignment_context(request, assignment, report_form=form), status=status)


class ReportDownloadView(RoleRequiredMixin, View):
    allowed_roles = GUIDE_ROLES

    def get(self, request, report_id: int):
        report = selectors.report_get_for_user(user=request.user, report_id=report_id)
        response = FileResponse(report.file.open("rb"), as_attachment=True,
                                filename=f"lab-report-{report.assignment_id}-{report.student.username}.pdf",
                                content_type="application/pdf")
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ReportGradeView(RoleRequiredMixin, View):
    allowed_roles = GRADE_ROLES
    http_method_names = ["post"]

    def post(self, request, report_id: int):
        report = selectors.report_get_for_user(user=request.user, report_id=report_id)
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=report.assignment_id)
        form = GradeForm(request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.report_grade(actor=request.user, report=report, score=d["score"], feedback=d["feedback"],
                                      reason=d["reason"])
            except ApplicationError as exc:
                errors = {report.pk: str(exc.message)}
                status = exc.status_code
            else:
                messages.success(request, _("Grade saved and written to the gradebook."))
                return redirect("deepfake:lab_assignment", assignment_id=report.assignment_id)
        else:
            errors = {report.pk: " ".join(str(e) for field in form.errors.values() for e in field)}
        return render(request, "deepfake/guides/assignment.html",
                      _assignment_context(request, assignment, grade_errors=errors), status=status)
