"""Pages for competitions and awards."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Role
from accounts.permissions import RoleRequiredMixin
from teachers.models import Competency, Term

from .. import permissions as perms
from ..profiles.models import StudentProfile
from . import selectors, services
from .models import Competition, CompetitionEntry


class CompetitionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Competition.Level.choices)
    held_on = forms.DateField(label=gettext_lazy("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    organizer = forms.CharField(label=gettext_lazy("Organizer"), max_length=200, required=False)
    term = forms.ModelChoiceField(label=gettext_lazy("Term"), queryset=Term.objects.all(), required=False)
    competencies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Mapped competencies"), queryset=Competency.objects.select_related("major"), required=False)


class EntryForm(forms.Form):
    competition = forms.ModelChoiceField(label=gettext_lazy("Competition"), queryset=Competition.objects.all())
    rank = forms.ChoiceField(label=gettext_lazy("Result"), choices=CompetitionEntry.Rank.choices)
    certificate = forms.FileField(label=gettext_lazy("Certificate (PDF, PNG or JPEG, up to 5 MB)"), required=False)


class CompetitionsView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.COMPETITION_ROLES
    template_name = "students/competitions.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        from django.core.paginator import Paginator

        ctx["page"] = Paginator(selectors.competitions_list(), 30).get_page(self.request.GET.get("page"))
        if self.request.user.role == Role.STUDENT:
            student = StudentProfile.objects.filter(user=self.request.user).first()
            ctx["entries"] = selectors.entries_for_student(student=student) if student else []
            ctx["entry_form"] = EntryForm()
        else:
            ctx["competition_form"] = CompetitionForm()
        return ctx


def _submit(request, form, service, *, invalid: str, done: str):
    """Validate the form, call the service with its data, say how it went, back to the list."""
    if not form.is_valid():
        messages.error(request, invalid % {"errors": form.errors.as_text()})
    else:
        try:
            service(actor=request.user, **form.cleaned_data)
            messages.success(request, done)
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("students:competitions")


class CompetitionCreateView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.COMPETITION_MANAGER_ROLES
    http_method_names = ["post"]

    def post(self, request):
        return _submit(request, CompetitionForm(request.POST), services.competition_create,
                       invalid=_("Check the competition form: %(errors)s"), done=_("Competition created."))


class EntrySubmitView(RoleRequiredMixin, TemplateView):
    """A refused entry is a 4xx with the reason on the competitions page (409 for a
    double submit); a recorded one redirects."""

    allowed_roles = (Role.STUDENT,)
    http_method_names = ["post"]

    def post(self, request):
        form = EntryForm(request.POST, request.FILES)
        status = 400
        if not form.is_valid():
            messages.error(request, _("Check the entry form: %(errors)s") % {"errors": form.errors.as_text()})
        else:
            try:
                services.entry_submit(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Recorded. A teacher will verify it before it counts."))
                return redirect("students:competitions")
        page = CompetitionsView()
        page.setup(request)
        context = page.get_context_data()
        context["entry_form"] = form
        return render(request, CompetitionsView.template_name, context, status=status)


class AwardsReviewView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.COMPETITION_MANAGER_ROLES
    template_name = "students/awards_review.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        from django.core.paginator import Paginator

        ctx["page"] = Paginator(selectors.entries_to_review_for(user=self.request.user), 50).get_page(
            self.request.GET.get("page"))
        return ctx


class EntryReviewView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.COMPETITION_MANAGER_ROLES
    http_method_names = ["post"]

    def post(self, request, entry_id: int):
        # 404 for an entry that is not theirs to review, as for one that does not exist.
        entry = selectors.entry_get_for_user(user=request.user, entry_id=entry_id)
        try:
            services.entry_review(actor=request.user, entry=entry, approve=request.POST.get("decision") == "approve",
                                 note=request.POST.get("note", ""))
            messages.success(request, _("Review saved."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("students:awards_review")


class EntryCertificateView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.COMPETITION_ROLES

    def get(self, request, entry_id: int):
        entry = selectors.entry_get_for_user(user=request.user, entry_id=entry_id)
        if not entry.certificate:
            raise Http404
        ext = entry.certificate.name.rsplit(".", 1)[-1]
        response = FileResponse(entry.certificate.open("rb"), as_attachment=True,
                                filename=f"certificate-{entry.pk}.{ext}",
                                content_type=entry.certificate_type or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
