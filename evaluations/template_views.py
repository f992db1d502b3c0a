"""School administrators edit rubric templates: every save is a new version; rounds keep theirs."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.errors import ApplicationError
from accounts.permissions import RoleRequiredMixin
from teachers.models import Competency

from . import selectors, services
from .models import Party, SubjectCredit
from .permissions import ADMIN_ROLES
from .subjects import SUBJECT_TYPES


class TemplateListView(RoleRequiredMixin, TemplateView):
    allowed_roles = ADMIN_ROLES
    template_name = "evaluations/templates.html"

    def get_context_data(self, **kwargs):
        credits = dict(SubjectCredit.objects.values_list("subject_kind", "credit"))
        return super().get_context_data(**kwargs) | {
            "templates": list(selectors.templates_current()),
            "credits": [{"code": t.code, "label": t.label, "credit": credits.get(t.code, t.credit)}
                        for t in SUBJECT_TYPES],
        }


def _spec_from_post(post, base: dict) -> dict:
    """The posted numbers laid over the current version's spec (codes and names are kept)."""
    spec = {**base, "parties": {}, "dimensions": []}
    for party in services.scoring_parties():
        weight = post.get(f"party-{party}-weight", "").strip()
        if weight and weight != "0":
            spec["parties"][party] = {"weight": weight, "required": post.get(f"party-{party}-required") == "on"}
    for d in base["dimensions"]:
        code = d["code"]
        spec["dimensions"].append({
            **d, "weight": post.get(f"dim-{code}-weight", d["weight"]),
            "criteria": [{**c, "weight": post.get(f"crit-{code}-{c['code']}-weight", c["weight"])}
                         for c in d["criteria"]],
            "competencies": {cid: post.get(f"map-{code}-{cid}", "0") or "0" for cid in _competency_ids(base)},
        })
    for key in ("excellent_threshold", "excellent_top_share", "reward_points", "appeal_days"):
        spec[key] = post.get(key, "").strip() or None
    try:
        spec["reward_points"] = int(spec["reward_points"] or 0)
        spec["appeal_days"] = int(spec["appeal_days"] or 7)
    except ValueError:
        raise ApplicationError(_("Points and the appeal window are whole numbers."), code="invalid_number") from None
    return spec


def _competency_ids(spec: dict) -> list[int]:
    if not spec.get("major_id"):
        return []
    return list(Competency.objects.filter(major_id=spec["major_id"]).values_list("pk", flat=True))


class TemplateEditView(RoleRequiredMixin, View):
    allowed_roles = ADMIN_ROLES
    template_name = "evaluations/template_edit.html"

    def _render(self, request, template, *, status=200, posted=None):
        spec = services.rubric_template_spec(template)
        competencies = list(Competency.objects.filter(major_id=template.major_id).order_by("order", "code")) \
            if template.major_id else []
        parties = [{"code": p, "label": Party(p).label, "weight": spec["parties"].get(p, {}).get("weight", ""),
                    "required": spec["parties"].get(p, {}).get("required", False)}
                   for p in services.scoring_parties()]
        return render(request, self.template_name, {
            "template": template, "spec": spec, "parties": parties, "competencies": competencies,
            "versions": list(selectors.template_versions(family=template.family)), "posted": posted,
        }, status=status)

    def get(self, request, template_id: int):
        return self._render(request, selectors.template_get(template_id=template_id))

    def post(self, request, template_id: int):
        template = selectors.template_get(template_id=template_id)
        try:
            spec = _spec_from_post(request.POST, services.rubric_template_spec(template))
            new = services.rubric_template_save(actor=request.user, spec=spec)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return self._render(request, template, status=400)
        messages.success(request, _("Saved as version %(v)d.") % {"v": new.version})
        return redirect("evaluations:template_edit", template_id=new.pk)


class CreditSetView(RoleRequiredMixin, View):
    """Set the radar credit of one subject type (its results are recomputed on the radar)."""

    allowed_roles = ADMIN_ROLES
    http_method_names = ["post"]

    def post(self, request):
        from .practice import subject_credit_set

        try:
            subject_credit_set(actor=request.user, kind=request.POST.get("kind", ""),
                               credit=request.POST.get("credit", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Practice credit saved; the radars that use it were recomputed."))
        return redirect("evaluations:templates")
