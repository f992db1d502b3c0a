from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin

from .permissions import HOME_ROLES


class HomeView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "teachers/home.html"
