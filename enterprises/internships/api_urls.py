from django.urls import path

from . import api

urlpatterns = [
    path("internships/placements/", api.PlacementListApi.as_view(), name="internship-placements"),
    path("internships/placements/<int:placement_id>/", api.PlacementDetailApi.as_view(), name="internship-placement"),
    path("internships/placements/<int:placement_id>/checkins/", api.CheckInApi.as_view(),
         name="internship-checkins"),
    path("internships/placements/<int:placement_id>/logs/", api.LogListApi.as_view(), name="internship-logs"),
    path("internships/logs/<int:log_id>/", api.LogDetailApi.as_view(), name="internship-log"),
    path("internships/logs/<int:log_id>/review/", api.LogReviewApi.as_view(), name="internship-log-review"),
]
