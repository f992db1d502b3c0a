"""The honour page of stars of skills, and the school admin's selection button."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.models import Role
from accounts.permissions import RoleRequiredMixin
from teachers.models import Term

from .. import permissions as perms
from . import selectors, services


class StarsView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.STARS_VIEW_ROLES
    template_name = "students/stars.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        code = self.request.GET.get("term")
        term = get_object_or_404(Term, code=code) if code else None
        run, items = selectors.honour_roll(term=term)
        groups: dict = {}
        for star in items:
            label = (f"{star.major} · {star.competency}" if star.competency_id
                     else f"{star.major} · {_('Core marketing personnel')}")
            groups.setdefault(label, []).append(star)
        ctx.update(run=run, groups=groups, terms=Term.objects.order_by("-start_year", "-number"),
                   can_select=self.request.user.role == Role.SCHOOL_ADMIN)
        return ctx


class StarsSelectView(RoleRequiredMixin, View):
    allowed_roles = perms.STARS_SELECT_ROLES
    http_method_names = ["post"]

    def post(self, request):
        term = get_object_or_404(Term, code=request.POST.get("term", ""))
        already = hasattr(term, "star_run")
        run = services.stars_select_for_term(term=term, actor=request.user)
        if already:
            messages.info(request, _("Stars for this term were already selected; the selection is unchanged."))
        else:
            messages.success(request, _("%(n)s stars selected and notified.") % {"n": run.stars.count()})
        return redirect(f"{request.path.rsplit('select/', 1)[0]}?term={term.code}")
