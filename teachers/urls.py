from django.urls import path

from . import views

app_name = "teachers"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("offerings/<int:offering_id>/gradebook/", views.GradebookView.as_view(), name="gradebook"),
    path("offerings/<int:offering_id>/gradebook/import/", views.GradebookImportView.as_view(), name="gradebook_import"),
    path("offerings/<int:offering_id>/gradebook.<str:fmt>", views.GradebookExportView.as_view(), name="gradebook_export"),
]
