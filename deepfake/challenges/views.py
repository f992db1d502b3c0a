"""Challenge pages. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin

from . import selectors, services
from .forms import ChallengeForm, SubmissionForm, TeamForm
from .permissions import (
    CHALLENGE_ROLES,
    CREATE_ROLES,
    ENTER_ROLES,
    can_create_challenge,
    can_enter,
    can_manage_challenge,
)


class ChallengeListView(RoleRequiredMixin, View):
    allowed_roles = CHALLENGE_ROLES

    def get(self, request):
        return render(request, "deepfake/challenges/list.html", {
            "challenges": selectors.challenge_list_for_user(user=request.user),
            "can_create": can_create_challenge(request.user),
        })


class ChallengeCreateView(RoleRequiredMixin, View):
    allowed_roles = CREATE_ROLES

    def _form(self, request, data=None, files=None):
        return ChallengeForm(data, files, classes_queryset=selectors.classes_taught_by(user=request.user))

    def get(self, request):
        return render(request, "deepfake/challenges/create.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                challenge = services.challenge_create(
                    actor=request.user, title=d["title"], description=d["description"], classes=d["classes"],
                    archive=d["archive"], starts_at=d["starts_at"], ends_at=d["ends_at"],
                    dev_fraction=d["dev_percent"] / 100, daily_quota=d["daily_quota"], total_quota=d["total_quota"],
                    rule=d["rule"])
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Challenge created."))
                return redirect("deepfake:challenge_detail", challenge_id=challenge.pk)
        return render(request, "deepfake/challenges/create.html", {"form": form}, status=400)


def _detail_context(request, challenge, submission_form=None, team_form=None) -> dict:
    now = timezone.now()
    phases = selectors.phases_of(challenge=challenge)
    phase = selectors.current_phase(phases, now)
    private_visible = phase is not None and selectors.private_visible(phase, now)
    return {
        "challenge": challenge, "phases": phases, "phase": phase, "now": now,
        "public_board": selectors.leaderboard(phase=phase, private=False) if phase else [],
        "private_board": selectors.leaderboard(phase=phase, private=True) if private_visible else None,
        "my_submissions": selectors.submissions_for_user(user=request.user, phase=phase)[:50] if phase else [],
        "can_enter": can_enter(request.user, challenge),
        "can_manage": can_manage_challenge(request.user, challenge),
        "team": selectors.team_of(user=request.user, challenge=challenge),
        "submission_form": submission_form or SubmissionForm(),
        "team_form": team_form or TeamForm(),
    }


class ChallengeDetailView(RoleRequiredMixin, View):
    allowed_roles = CHALLENGE_ROLES

    def get(self, request, challenge_id: int):
        challenge = selectors.challenge_get_for_user(user=request.user, challenge_id=challenge_id)
        return render(request, "deepfake/challenges/detail.html", _detail_context(request, challenge))


class SubmitView(RoleRequiredMixin, View):
    """Students submit; the challenge's teacher posts a baseline through the same form."""

    allowed_roles = ENTER_ROLES + CREATE_ROLES
    http_method_names = ["post"]

    def post(self, request, phase_id: int):
        phase = selectors.phase_get_for_user(user=request.user, phase_id=phase_id)
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            create = (services.submission_create_weights if d["kind"] == "weights"
                      else services.submission_create_predictions)
            try:
                create(actor=request.user, phase=phase, uploaded_file=d["file"], label=d["label"],
                       baseline=can_manage_challenge(request.user, phase.challenge))
            except ApplicationError as exc:
                form.add_error("file", str(exc.message))
            else:
                messages.success(request, _("Submission received."))
                return redirect("deepfake:challenge_detail", challenge_id=phase.challenge_id)
        return render(request, "deepfake/challenges/detail.html",
                      _detail_context(request, phase.challenge, submission_form=form), status=400)


class TeamJoinView(RoleRequiredMixin, View):
    allowed_roles = ENTER_ROLES
    http_method_names = ["post"]

    def post(self, request, challenge_id: int):
        challenge = selectors.challenge_get_for_user(user=request.user, challenge_id=challenge_id)
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                services.team_join(actor=request.user, challenge=challenge, name=form.cleaned_data["name"])
            except ApplicationError as exc:
                form.add_error("name", str(exc.message))
            else:
                return redirect("deepfake:challenge_detail", challenge_id=challenge.pk)
        return render(request, "deepfake/challenges/detail.html",
                      _detail_context(request, challenge, team_form=form), status=400)


class PhaseCloseView(RoleRequiredMixin, View):
    allowed_roles = CREATE_ROLES
    http_method_names = ["post"]

    def post(self, request, phase_id: int):
        phase = selectors.phase_get_for_user(user=request.user, phase_id=phase_id)
        try:
            services.phase_close(actor=request.user, phase=phase)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Phase closed; the private leaderboard is public and the points are granted."))
        return redirect("deepfake:challenge_detail", challenge_id=phase.challenge_id)


class ChallengeDownloadView(RoleRequiredMixin, View):
    """``dev``: the labelled dev split; ``test``: the test images under opaque ids, no labels."""

    allowed_roles = CHALLENGE_ROLES

    def get(self, request, challenge_id: int, name: str):
        challenge = selectors.challenge_get_for_user(user=request.user, challenge_id=challenge_id)
        field = {"dev": challenge.dev_archive, "test": challenge.test_archive}.get(name)
        if not field:
            raise Http404("No such file.")
        response = FileResponse(field.open("rb"), as_attachment=True,
                                filename=f"challenge-{challenge.pk}-{name}.zip", content_type="application/zip")
        response["X-Content-Type-Options"] = "nosniff"
        return response
