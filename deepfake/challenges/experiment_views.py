"""Experiment pages: start a run on a challenge's dev split, follow it, compare runs, submit one."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin

from . import experiments, selectors
from .forms import ExperimentForm
from .permissions import CREATE_ROLES, ENTER_ROLES


class ExperimentListView(RoleRequiredMixin, View):
    """The comparison: every run with its curves, per-generator AUC and ROC."""

    allowed_roles = ENTER_ROLES + CREATE_ROLES

    def get(self, request):
        return _render_list(request, ExperimentForm())


def _render_list(request, form: ExperimentForm, status: int = 200):
    runs = list(selectors.experiment_list_for_user(user=request.user)[:30])
    return render(request, "deepfake/challenges/experiments.html", {
        "experiments": runs, "challenges": selectors.challenge_list_for_user(user=request.user), "form": form,
        "curves": _curves(runs)}, status=status)


def _curves(runs) -> list[dict]:
    """Validation AUC per epoch as SVG polylines (x: epoch, y: AUC 0.5..1)."""
    out = []
    for run in runs:
        history = (run.metrics or {}).get("history") or []
        if not history:
            continue
        n = max(len(history) - 1, 1)
        points = " ".join(f"{20 + 260 * i / n:.1f},{10 + 120 * (1 - max(0.0, (h.get('val_auc_min_source') or 0.5) - 0.5) * 2):.1f}"
                          for i, h in enumerate(history))
        out.append({"id": run.pk, "points": points})
    return out


class ExperimentStartView(RoleRequiredMixin, View):
    allowed_roles = ENTER_ROLES
    http_method_names = ["post"]

    def post(self, request, challenge_id: int):
        challenge = selectors.challenge_get_for_user(user=request.user, challenge_id=challenge_id)
        form = ExperimentForm(request.POST)
        if form.is_valid():
            try:
                experiment = experiments.experiment_start(actor=request.user, challenge=challenge,
                                                          arch=form.cleaned_data["arch"],
                                                          epochs=form.cleaned_data["epochs"],
                                                          note=form.cleaned_data["note"])
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
                return redirect("deepfake:experiment_list")
            messages.success(request, _("Experiment queued."))
            return redirect("deepfake:experiment_detail", experiment_id=experiment.pk)
        return _render_list(request, form, status=400)


class ExperimentDetailView(RoleRequiredMixin, View):
    allowed_roles = ENTER_ROLES + CREATE_ROLES

    def get(self, request, experiment_id: int):
        experiment = selectors.experiment_get_for_user(user=request.user, experiment_id=experiment_id)
        phases = selectors.phases_of(challenge=experiment.challenge)
        return render(request, "deepfake/challenges/experiment_detail.html", {
            "experiment": experiment, "phase": selectors.current_phase(phases),
            "curves": _curves([experiment]),
        })


class ExperimentRocView(RoleRequiredMixin, View):
    allowed_roles = ENTER_ROLES + CREATE_ROLES

    def get(self, request, experiment_id: int):
        experiment = selectors.experiment_get_for_user(user=request.user, experiment_id=experiment_id)
        if not experiment.roc_curve:
            raise Http404("No ROC curve yet.")
        return FileResponse(experiment.roc_curve.open("rb"), content_type="image/png")


class ExperimentSubmitView(RoleRequiredMixin, View):
    allowed_roles = ENTER_ROLES
    http_method_names = ["post"]

    def post(self, request, experiment_id: int):
        experiment = selectors.experiment_get_for_user(user=request.user, experiment_id=experiment_id)
        phase = selectors.current_phase(selectors.phases_of(challenge=experiment.challenge))
        try:
            if phase is None:
                raise ApplicationError(_("The challenge has no phase."))
            experiments.experiment_submit(actor=request.user, experiment=experiment, phase=phase)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            return redirect("deepfake:experiment_detail", experiment_id=experiment.pk)
        messages.success(request, _("Submitted to the challenge; it is being scored."))
        return redirect("deepfake:challenge_detail", challenge_id=experiment.challenge_id)
