from django.urls import path

from . import api

urlpatterns = [
    path("me/points/", api.MyPointsApi.as_view(), name="students-my-points"),
]
