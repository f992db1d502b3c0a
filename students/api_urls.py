from django.urls import include, path

urlpatterns: list = [
    path("", include("students.growth_api_urls")),
]
