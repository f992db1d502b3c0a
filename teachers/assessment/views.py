"""Pages for grade components: set them on an offering, and save component scores."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin

from .. import selectors
from ..permissions import GRADEBOOK_ROLES
from . import services
from .selectors import components_for_offering

EMPTY_ROWS = 2


def _rows_from_post(post) -> list[dict]:
    rows = []
    for i in range(int(post.get("rows", 0) or 0) if str(post.get("rows", "0")).isdigit() else 0):
        row = {k: post.get(f"{k}-{i}", "").strip() for k in ("code", "name", "weight")}
        if any(row.values()):
            rows.append(row)
    return rows[:30]


class GradeComponentsView(RoleRequiredMixin, View):
    """The offering's assessment along its working process: components and weights (sum 100)."""

    allowed_roles = GRADEBOOK_ROLES
    template_name = "teachers/components.html"

    def _render(self, request, offering, rows, status=200):
        rows = list(rows) + [{"code": "", "name": "", "weight": ""}] * EMPTY_ROWS
        return render(request, self.template_name, {
            "offering": offering, "rows": rows, "total": len(rows), "defaults": services.DEFAULT_COMPONENTS,
        }, status=status)

    def get(self, request, offering_id: int):
        offering = selectors.offering_get_for_user(user=request.user, offering_id=offering_id)
        rows = [{"code": c.code, "name": c.name, "weight": c.weight.normalize()}
                for c in components_for_offering(offering=offering)]
        if not rows and request.GET.get("defaults"):
            rows = services.DEFAULT_COMPONENTS
        return self._render(request, offering, rows)

    def post(self, request, offering_id: int):
        offering = selectors.offering_get_for_user(user=request.user, offering_id=offering_id)
        rows = _rows_from_post(request.POST)
        try:
            services.grade_components_set(actor=request.user, offering=offering, components=rows)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self._render(request, offering, rows, status=exc.status_code)
        messages.success(request, _("Grade components saved; finals recomputed."))
        return redirect("teachers:gradebook", offering_id=offering.pk)


class ComponentScoresView(RoleRequiredMixin, View):
    allowed_roles = GRADEBOOK_ROLES

    def post(self, request, offering_id: int):
        from ..views import GradebookView

        offering = selectors.offering_get_for_user(user=request.user, offering_id=offering_id)
        scores = {}
        for key, value in request.POST.items():
            if key.startswith("comp-"):
                parts = key.split("-")
                if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                    scores[(int(parts[1]), int(parts[2]))] = value
        try:
            changed = services.component_scores_save(actor=request.user, offering=offering, scores=scores,
                                                     reason=request.POST.get("reason", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return GradebookView()._render(request, offering, errors=exc.extra or {}, status=exc.status_code,
                                           posted=scores)
        messages.success(request, _("Scores saved; %(n)d final grade(s) changed.") % {"n": changed})
        return redirect("teachers:gradebook", offering_id=offering.pk)
