from django.urls import include, path

from . import views

app_name = "students"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("", include("students.growth_urls")),
]
