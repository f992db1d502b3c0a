from django.urls import path

from . import views

urlpatterns = [
    path("guides/", views.GuideListView.as_view(), name="guide_list"),
    path("guides/<slug:slug>/", views.GuideDetailView.as_view(), name="guide_detail"),
    path("guides/<slug:slug>/attach/", views.GuideAttachView.as_view(), name="guide_attach"),
    path("lab-work/<int:assignment_id>/", views.AssignmentDetailView.as_view(), name="lab_assignment"),
    path("lab-work/<int:assignment_id>/report/", views.ReportSubmitView.as_view(), name="lab_report_submit"),
    path("lab-reports/<int:report_id>/download/", views.ReportDownloadView.as_view(), name="lab_report_download"),
    path("lab-reports/<int:report_id>/grade/", views.ReportGradeView.as_view(), name="lab_report_grade"),
]
