from django.urls import path

from . import api
from .challenges import api_urls as challenge_api_urls
from .teaching import api_urls as teaching_api_urls

urlpatterns = [
    path("deepfake/jobs/", api.JobListCreateApi.as_view(), name="deepfake-jobs"),
    path("deepfake/jobs/<int:job_id>/", api.JobDetailApi.as_view(), name="deepfake-job-detail"),
    path("deepfake/models/", api.ModelListApi.as_view(), name="deepfake-models"),
]
urlpatterns += challenge_api_urls.urlpatterns
urlpatterns += teaching_api_urls.urlpatterns
