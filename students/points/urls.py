from django.urls import path

from . import views

urlpatterns = [
    path("points/", views.PointsView.as_view(), name="points"),
    path("points/<str:student_number>/", views.StudentPointsView.as_view(), name="student_points"),
    path("points/<str:student_number>/grant/", views.PointsGrantView.as_view(), name="points_grant"),
    path("points/<str:student_number>/reverse/<int:entry_id>/", views.PointsReverseView.as_view(),
         name="points_reverse"),
]
