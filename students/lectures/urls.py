from django.urls import path

from . import views

urlpatterns = [
    path("lectures/", views.LectureListView.as_view(), name="lectures"),
    path("lectures/new/", views.LectureCreateView.as_view(), name="lecture_create"),
    path("lectures/<int:lecture_id>/", views.LectureDetailView.as_view(), name="lecture_detail"),
    path("lectures/<int:lecture_id>/edit/", views.LectureEditView.as_view(), name="lecture_edit"),
    path("lectures/<int:lecture_id>/signup/", views.LectureActionView.as_view(action="signup"), name="lecture_signup"),
    path("lectures/<int:lecture_id>/cancel/", views.LectureActionView.as_view(action="cancel"), name="lecture_cancel"),
    path("lectures/<int:lecture_id>/attendance/", views.AttendanceView.as_view(), name="lecture_attendance"),
]
