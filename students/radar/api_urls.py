from django.urls import path

from . import api

urlpatterns = [
    path("students/<str:student_number>/radar/", api.RadarApi.as_view(), name="students-radar"),
    path("students/<str:student_number>/radar/<str:kind>.<str:fmt>", api.RadarImageApi.as_view(),
         name="students-radar-image"),
    path("classes/<int:class_id>/radar/", api.ClassRadarApi.as_view(), name="classes-radar"),
]
