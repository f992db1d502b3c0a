from django.core.paginator import Paginator
from django.views.generic import TemplateView

from accounts.background import live_workers_by_queue, task_failures_list
from accounts.permissions import RoleRequiredMixin
from accounts.selectors import user_counts_by_role

from .permissions import HOME_ROLES
from .selectors import admin_work_items


class HomeView(RoleRequiredMixin, TemplateView):
    allowed_roles = HOME_ROLES
    template_name = "admin_portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_counts"] = user_counts_by_role()
        context["work_items"] = admin_work_items()
        return context


class BackgroundTasksView(RoleRequiredMixin, TemplateView):
    """Failed background tasks, newest first, and which queues have a live worker."""

    allowed_roles = HOME_ROLES
    template_name = "admin_portal/background_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = Paginator(task_failures_list(), 25).get_page(self.request.GET.get("page"))
        context["workers"] = sorted(live_workers_by_queue().items())
        return context
