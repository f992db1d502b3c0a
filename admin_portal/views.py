from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin
from accounts.selectors import user_counts_by_role

from .permissions import HOME_ROLES


class HomeView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "admin_portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_counts"] = user_counts_by_role()
        return context
