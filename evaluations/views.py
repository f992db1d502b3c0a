"""Pages of the evaluations app. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import RoleRequiredMixin

from . import selectors, services
from .forms import AppealDecisionForm, AppealForm, RoundCreateForm
from .models import Party, Round
from .permissions import ADMIN_ROLES, HOME_ROLES, ORGANISER_ROLES, RATER_ROLES, STUDENT_ROLES
from .rewards import appeal_create, appeal_decide, certificate_pdf
from .round_context import round_context


class HomeView(RoleRequiredMixin, TemplateView):
    """"My evaluations to do": every role's list of open invitations with deadlines, what they
    submitted, and (students) their results; organisers and administrators get their tools."""

    allowed_roles = HOME_ROLES
    template_name = "evaluations/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        ctx = super().get_context_data(**kwargs)
        ctx["to_do"] = list(selectors.invitations_to_do(user=user))
        ctx["done"] = list(selectors.invitations_done(user=user))
        ctx["is_student"] = user.role == Role.STUDENT
        ctx["can_organise"] = user.role in ORGANISER_ROLES
        ctx["is_admin"] = user.role == Role.SCHOOL_ADMIN
        if ctx["is_student"]:
            ctx["results"] = list(selectors.results_for_student_user(user=user)[:20])
        if ctx["is_admin"]:
            ctx["overview"] = selectors.rounds_overview()
            ctx["appeals_pending"] = selectors.appeals_pending().count()
        return ctx


class SubmitView(RoleRequiredMixin, View):
    """The rater's form: one score per sub-criterion, a comment per dimension."""

    allowed_roles = RATER_ROLES
    template_name = "evaluations/submit.html"

    def _render(self, request, invitation, *, scores=None, comments=None, errors=None, status=200):
        template = selectors.template_get(template_id=invitation.round.template_id)
        submission = getattr(invitation, "submission", None)
        saved_scores = submission.criterion_scores if submission else {}
        saved_comments = submission.comments if submission else {}
        scores = scores if scores is not None else saved_scores
        comments = comments if comments is not None else saved_comments
        errors = errors or {}
        dimensions = []
        for d in template.dimensions.all():
            criteria = [{"key": f"{d.code}.{c.code}", "label": c.display_name, "weight": c.weight,
                         "value": scores.get(f"{d.code}.{c.code}", ""), "error": errors.get(f"{d.code}.{c.code}")}
                        for c in d.criteria.all()] or [{"key": d.code, "label": d.display_name, "weight": 1,
                                                        "value": scores.get(d.code, ""), "error": errors.get(d.code)}]
            dimensions.append({"code": d.code, "label": d.display_name, "weight": d.weight, "criteria": criteria,
                               "comment": comments.get(d.code, ""), "error": errors.get(d.code)})
        return render(request, self.template_name, {
            "invitation": invitation, "round": invitation.round, "dimensions": dimensions,
            "submission": submission, "is_self": invitation.party == Party.SELF,
            "editable": invitation.round.status == Round.Status.OPEN,
        }, status=status)

    def get(self, request, invitation_id: int):
        invitation = selectors.invitation_get_for_rater(user=request.user, invitation_id=invitation_id)
        return self._render(request, invitation)

    def post(self, request, invitation_id: int):
        invitation = selectors.invitation_get_for_rater(user=request.user, invitation_id=invitation_id)
        scores = {k.removeprefix("score-"): v for k, v in request.POST.items() if k.startswith("score-")}
        comments = {k.removeprefix("comment-"): v for k, v in request.POST.items() if k.startswith("comment-")}
        exists = hasattr(invitation, "submission")
        try:
            if exists:
                services.submission_update(actor=request.user, invitation_id=invitation.pk, scores=scores,
                                           comments=comments)
            else:
                services.submission_create(actor=request.user, invitation_id=invitation.pk, scores=scores,
                                           comments=comments)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            invitation = selectors.invitation_get_for_rater(user=request.user, invitation_id=invitation_id)
            return self._render(request, invitation, scores=scores, comments=comments,
                                errors=exc.extra if isinstance(exc.extra, dict) else {}, status=exc.status_code)
        messages.success(request, _("Your evaluation was saved. You may change it until the deadline."))
        return redirect("evaluations:home")


class RoundListView(RoleRequiredMixin, TemplateView):
    """Rounds the user organises or may read (all of them for school administrators)."""

    allowed_roles = ORGANISER_ROLES + (Role.INDUSTRY,)
    template_name = "evaluations/round_list.html"

    def get_context_data(self, **kwargs):
        qs = selectors.rounds_for_user(user=self.request.user)
        status = self.request.GET.get("status", "")
        if status in Round.Status.values:
            qs = qs.filter(status=status)
        page = Paginator(qs, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {"page": page, "status": status,
                                                     "can_organise": self.request.user.role in ORGANISER_ROLES,
                                                     "statuses": Round.Status.choices,
                                                     "query": f"status={status}" if status else ""}


class RoundCreateView(RoleRequiredMixin, View):
    allowed_roles = ORGANISER_ROLES
    template_name = "evaluations/round_create.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RoundCreateForm(user=request.user)})

    def post(self, request):
        form = RoundCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            options = {"template": data["template"], "deadline": data["deadline"], "raters": form.raters(),
                       "peers_per_student": data["peers_per_student"], "self_evaluation": data["self_evaluation"],
                       "open_now": data["open_now"]}
            try:
                if data["kind"] == "course_offering":
                    rounds = services.rounds_create(actor=request.user, kind="course_offering",
                                                    subject_id=data["offering"].pk, **options)
                else:
                    rounds = services.activity_rounds_create(actor=request.user, kind=data["kind"],
                                                             title=data["title"], school_class=data["school_class"],
                                                             **options)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("%(n)d round(s) created.") % {"n": len(rounds)})
                return redirect("evaluations:rounds")
        return render(request, self.template_name, {"form": form}, status=400)


class RoundDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "evaluations/round_detail.html"

    def get_context_data(self, round_id: int, **kwargs):
        round_ = selectors.round_get_for_user(user=self.request.user, round_id=round_id)
        ctx = super().get_context_data(**kwargs) | round_context(user=self.request.user, round_=round_)
        ctx["appeal_form"] = AppealForm()
        ctx["decision_form"] = AppealDecisionForm()
        return ctx


class RoundOpenView(RoleRequiredMixin, View):
    allowed_roles = ORGANISER_ROLES
    http_method_names = ["post"]

    def post(self, request, round_id: int):
        round_ = selectors.round_get_for_user(user=request.user, round_id=round_id)
        if not selectors.round_rater_names_visible(user=request.user, round_=round_):
            raise Http404
        try:
            services.round_open(actor=request.user, round_=round_)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The round is open; the raters have been invited."))
        return redirect("evaluations:round_detail", round_id=round_.pk)


class AppealCreateView(RoleRequiredMixin, View):
    allowed_roles = STUDENT_ROLES
    http_method_names = ["post"]

    def post(self, request, round_id: int):
        round_ = selectors.round_get_for_user(user=request.user, round_id=round_id)
        form = AppealForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for the appeal (at most 4000 characters)."))
            return redirect("evaluations:round_detail", round_id=round_.pk)
        try:
            appeal_create(actor=request.user, round_id=round_.pk, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your appeal was sent to the school administrators."))
        return redirect("evaluations:round_detail", round_id=round_.pk)


class AppealListView(RoleRequiredMixin, TemplateView):
    allowed_roles = ADMIN_ROLES
    template_name = "evaluations/appeals.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"appeals": list(selectors.appeals_pending()[:200]),
                                                     "form": AppealDecisionForm()}


class AppealDecideView(RoleRequiredMixin, View):
    allowed_roles = ADMIN_ROLES
    http_method_names = ["post"]

    def post(self, request, appeal_id: int):
        form = AppealDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
            return redirect("evaluations:appeals")
        data = form.cleaned_data
        reopen = data["party"] if data["decision"] == "reopen" else ""
        try:
            appeal_decide(actor=request.user, appeal_id=appeal_id, reopen_party=reopen, note=data["note"],
                          deadline=data.get("deadline"))
        except ApplicationError as exc:
            if exc.status_code == 404:
                raise Http404 from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The appeal was decided."))
        return redirect("evaluations:appeals")


class CertificateView(RoleRequiredMixin, View):
    """The certificate PDF of an excellent result: the student, the organiser, administrators."""

    allowed_roles = HOME_ROLES

    def get(self, request, round_id: int):
        round_ = selectors.round_get_for_user(user=request.user, round_id=round_id)
        reward = selectors.round_reward(round_=round_)
        if reward is None:
            raise Http404
        pdf = certificate_pdf(reward=reward, student_name=round_.student.user.name_for_display)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{reward.certificate_number}.pdf"'
        return response


class LeniencyView(RoleRequiredMixin, TemplateView):
    allowed_roles = ADMIN_ROLES
    template_name = "evaluations/leniency.html"

    def get_context_data(self, **kwargs):
        rows = selectors.rater_leniency()
        return super().get_context_data(**kwargs) | {"rows": rows}
