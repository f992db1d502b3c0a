from django.urls import path

from . import views

urlpatterns = [
    path("stars/", views.StarsView.as_view(), name="stars"),
    path("stars/select/", views.StarsSelectView.as_view(), name="stars_select"),
]
