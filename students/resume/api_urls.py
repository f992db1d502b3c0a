from django.urls import path

from . import api

urlpatterns = [
    path("me/resume/", api.MyResumeApi.as_view(), name="students-my-resume"),
    path("me/resume/share/", api.MyResumeShareApi.as_view(), name="students-my-resume-share"),
    path("resumes/", api.ResumeListApi.as_view(), name="students-resumes"),
    path("resumes/<str:student_number>/", api.StudentResumeApi.as_view(), name="students-resume"),
]
