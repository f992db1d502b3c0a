from django.contrib import admin
from django.urls import include, path

from platform_site.api import ApiRootView
from platform_site.lazy import lazy_view

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
    # drf_spectacular's views import its schema generator, which imports django.test and
    # jinja2: loaded on the first request for the schema, not by every manage.py call.
    path("api/schema/", lazy_view("drf_spectacular.views.SpectacularAPIView"), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script under the CSP.
    path("api/docs/", lazy_view("drf_spectacular.views.SpectacularSwaggerSplitView", url_name="api-schema"),
         name="api-docs"),
    path("django-admin/", admin.site.urls),
]

# Media files are never served as a public folder: each app serves its files
# through a view that checks who may see them.

handler400 = "platform_site.api.json_or_page_400"
handler403 = "platform_site.api.json_or_page_403"
handler404 = "platform_site.api.json_or_page_404"
handler500 = "platform_site.api.json_or_page_500"
