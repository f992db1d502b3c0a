from django.urls import path

from . import views

app_name = "admin_portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="dashboard"),
    path("background-tasks/", views.BackgroundTasksView.as_view(), name="background_tasks"),
]
