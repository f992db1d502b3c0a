"""The students app's API under /api/v1/: each feature package lists its own endpoints."""

from django.urls import include, path

urlpatterns = [
    path("", include("students.rankings.api_urls")),
    path("", include("students.points.api_urls")),
    path("", include("students.radar.api_urls")),
    path("", include("students.lectures.api_urls")),
    path("", include("students.competitions.api_urls")),
    path("", include("students.resume.api_urls")),
    path("", include("students.outlook.api_urls")),
]
