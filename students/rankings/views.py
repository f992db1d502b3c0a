"""The rankings page. Thin: parse, call the selectors, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Role
from accounts.permissions import RoleRequiredMixin

from .. import permissions as perms
from ..profiles.selectors import student_profile_for_user
from . import selectors as rankings
from .services import refresh_delay_seconds


def _int(value, default: int = 1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


class RankingView(RoleRequiredMixin, TemplateView):
    allowed_roles = perms.RANKING_ROLES
    template_name = "students/rankings.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        user = request.user
        scope = request.GET.get("scope") or ("cohort" if user.role == Role.STUDENT else "school")
        params = {k: request.GET.get(k, "").strip() for k in rankings.FILTER_PARAMS}
        # The filters travel with every tab and page link, URL-encoded.
        kept = {k: v for k, v in params.items() if v}
        ctx.update(scope=scope, params=params, error=None,
                   scope_links=[(s, rankings.SCOPE_LABELS[s], "?" + urlencode({"scope": s, **kept}))
                                for s in rankings.SCOPES],
                   query=urlencode({"scope": scope, **kept}),
                   options=rankings.ranking_filter_options(user=user, major_code=params["major"]))
        try:
            group = rankings.ranking_group_for(user=user, scope=scope, params=request.GET)
            competency = rankings.resolve_competency(params["competency"], group_major_id=group.major_id)
            page = rankings.ranking_page_for_user(user=user, group=group, competency=competency,
                                                  page=_int(request.GET.get("page")), page_size=self.page_size)
        except NotPermitted:
            raise PermissionDenied from None
        except ApplicationError as exc:
            ctx["error"] = exc.message
            return ctx
        ctx.update(group=group, page=page, competency=competency, refresh_delay=refresh_delay_seconds())
        if user.role == Role.STUDENT:
            student = student_profile_for_user(user=user)
            ctx["own"] = rankings.own_position(group=group, student=student, competency=competency)
            ctx["own_student_id"] = student.pk
        return ctx
