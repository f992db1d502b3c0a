from django.urls import path

from . import growth_views

urlpatterns = [
    path("rankings/", growth_views.RankingView.as_view(), name="rankings"),
    path("points/", growth_views.PointsView.as_view(), name="points"),
    path("points/<str:student_number>/", growth_views.StudentPointsView.as_view(), name="student_points"),
    path("points/<str:student_number>/grant/", growth_views.PointsGrantView.as_view(), name="points_grant"),
    path("points/<str:student_number>/reverse/<int:entry_id>/", growth_views.PointsReverseView.as_view(),
         name="points_reverse"),
]
