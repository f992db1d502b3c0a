from django.urls import path

from . import api

urlpatterns = [
    path("deepfake/guides/", api.GuideListApi.as_view(), name="deepfake-guides"),
    path("deepfake/lab-work/", api.AssignmentListCreateApi.as_view(), name="deepfake-lab-assignments"),
    path("deepfake/lab-work/<int:assignment_id>/reports/", api.ReportListCreateApi.as_view(),
         name="deepfake-lab-reports"),
    path("deepfake/lab-reports/<int:report_id>/grade/", api.ReportGradeApi.as_view(), name="deepfake-lab-report-grade"),
]
