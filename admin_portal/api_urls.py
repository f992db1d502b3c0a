from django.urls import path

from . import api

urlpatterns = [
    path("dashboard/kpis/", api.DashboardKpisApi.as_view(), name="dashboard_kpis"),
    path("dashboard/targets/", api.DashboardTargetsApi.as_view(), name="dashboard_targets"),
]
