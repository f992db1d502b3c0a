from django.urls import path

from . import views

urlpatterns = [
    path("resume/", views.ResumeView.as_view(), name="resume"),
    path("resume/share/", views.ResumeShareView.as_view(), name="resume_share"),
    path("resume/revoke/", views.ResumeShareView.as_view(revoke=True), name="resume_revoke"),
    path("resume/pdf/", views.ResumePdfView.as_view(), name="resume_pdf"),
    path("r/<str:token>/", views.SharedResumeView.as_view(), name="resume_shared"),
    path("r/<str:token>/pdf/", views.SharedResumePdfView.as_view(), name="resume_shared_pdf"),
    path("resumes/", views.ResumeBrowseView.as_view(), name="resume_browse"),
    path("resumes/<str:student_number>/", views.StudentResumeView.as_view(), name="student_resume"),
    path("resumes/<str:student_number>/pdf/", views.StudentResumePdfView.as_view(), name="student_resume_pdf"),
]
