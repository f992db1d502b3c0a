"""The students app's pages: each feature package lists its own URLs. Order matters
only for the radar's `<student_number>/competences/` patterns, which come last."""

from django.urls import include, path

app_name = "students"

urlpatterns = [
    path("", include("students.home.urls")),
    path("", include("students.rankings.urls")),
    path("", include("students.points.urls")),
    path("", include("students.competitions.urls")),
    path("", include("students.lectures.urls")),
    path("", include("students.resume.urls")),
    path("", include("students.stars.urls")),
    path("", include("students.outlook.urls")),
    path("", include("students.radar.urls")),
]
