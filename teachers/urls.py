from django.urls import path

from . import views

app_name = "teachers"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
