"""School administrators: the moderation queue of postings, and the cooperation
agreements (partner, practice base, strategic; trusted partners publish without review)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.models import Organization
from accounts.permissions import RoleRequiredMixin

from . import permissions as perms
from . import selectors, services
from .forms import CooperationForm, RejectForm
from .models import EnterpriseProfile


class ModerationQueueView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.MODERATOR_ROLES
    template_name = "enterprises/moderation.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        profiles = {p.organization_id: p for p in EnterpriseProfile.objects.all()}
        organizations = list(Organization.objects.filter(kind__in=selectors.MARKET_KINDS).order_by("kind", "name"))
        ctx.update(queue=list(selectors.moderation_queue()), recent=selectors.recently_moderated(),
                   reject_form=RejectForm(),
                   organizations=[(o, profiles.get(o.pk) or EnterpriseProfile(organization=o)) for o in organizations],
                   cooperation_form=CooperationForm())
        return ctx


class ModerateView(RoleRequiredMixin, View):
    allowed_roles = perms.MODERATOR_ROLES
    http_method_names = ["post"]

    def post(self, request, posting_id: int):
        posting = selectors.posting_get_for_user(user=request.user, posting_id=posting_id)
        try:
            if request.POST.get("action") == "approve":
                services.posting_approve(actor=request.user, posting=posting)
                messages.success(request, _("Published: %(title)s") % {"title": posting.title})
            elif request.POST.get("action") == "reject":
                services.posting_reject(actor=request.user, posting=posting, reason=request.POST.get("reason", ""))
                messages.success(request, _("Rejected: %(title)s") % {"title": posting.title})
            else:
                messages.error(request, _("Unknown action."))
        except ApplicationError as exc:
            fields = " ".join(sum((list(v) for v in (exc.extra or {}).values()), []))
            messages.error(request, fields or exc.message)
        return redirect("enterprises:moderation")


class CooperationView(RoleRequiredMixin, View):
    allowed_roles = perms.MODERATOR_ROLES
    http_method_names = ["post"]

    def post(self, request, organization_id: int):
        organization = get_object_or_404(Organization, pk=organization_id, kind__in=selectors.MARKET_KINDS)
        form = CooperationForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Check the dates."))
            return redirect("enterprises:moderation")
        data = form.cleaned_data
        try:
            services.enterprise_cooperation_set(actor=request.user, organization=organization,
                                                level=data["cooperation_level"], starts=data["cooperation_starts"],
                                                ends=data["cooperation_ends"], auto_publish=data["auto_publish"])
            messages.success(request, _("Cooperation saved for %(org)s.") % {"org": organization.name})
        except ApplicationError as exc:
            fields = " ".join(sum((list(v) for v in (exc.extra or {}).values()), []))
            messages.error(request, fields or exc.message)
        return redirect("enterprises:moderation")


