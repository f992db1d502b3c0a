from django.urls import path

from . import views
from .challenges import urls as challenge_urls
from .teaching import urls as teaching_urls

app_name = "deepfake"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("jobs/<int:job_id>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:job_id>/status/", views.JobStatusView.as_view(), name="job_status"),
    path("jobs/<int:job_id>/images/<slug:name>/", views.JobImageView.as_view(), name="job_image"),
    path("media/<int:media_id>/download/", views.MediaDownloadView.as_view(), name="media_download"),
    path("class-jobs/", views.ClassJobsView.as_view(), name="class_jobs"),
    path("models/", views.ModelListView.as_view(), name="model_list"),
    path("models/<int:model_id>/", views.ModelDetailView.as_view(), name="model_detail"),
    path("models/<int:model_id>/images/<slug:name>/", views.ModelImageView.as_view(), name="model_image"),
    path("models/<int:model_id>/activate/", views.ModelActivateView.as_view(), name="model_activate"),
    path("training/", views.TrainingListView.as_view(), name="training"),
    path("training/start/", views.TrainingStartView.as_view(), name="training_start"),
    path("training/<int:run_id>/", views.TrainingDetailView.as_view(), name="training_detail"),
]
urlpatterns += challenge_urls.urlpatterns
urlpatterns += teaching_urls.urlpatterns
