from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from platform_site.api import ApiRootView

api_v1 = [
    path("", ApiRootView.as_view(), name="root"),
    path("", include("accounts.api_urls")),
    path("", include("teachers.api_urls")),
    path("", include("students.api_urls")),
    path("", include("enterprises.api_urls")),
    path("", include("projects.api_urls")),
    path("", include("evaluations.api_urls")),
    path("", include("deepfake.api_urls")),
    path("", include("admin_portal.api_urls")),
]

urlpatterns = [
    path("", include("accounts.urls")),
    path("teachers/", include("teachers.urls")),
    path("students/", include("students.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("projects/", include("projects.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("deepfake/", include("deepfake.urls")),
    path("school/", include("admin_portal.urls")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("django-admin/", admin.site.urls),
]

# Media files are never served as a public folder: each app serves its files
# through a view that checks who may see them.

handler400 = "platform_site.api.json_or_page_400"
handler403 = "platform_site.api.json_or_page_403"
handler404 = "platform_site.api.json_or_page_404"
handler500 = "platform_site.api.json_or_page_500"
