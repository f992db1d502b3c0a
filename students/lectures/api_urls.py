from django.urls import path

from . import api

urlpatterns = [
    path("lectures/", api.LectureListApi.as_view(), name="students-lectures"),
    path("lectures/new/", api.LectureCreateApi.as_view(), name="students-lecture-create"),
    path("lectures/<int:lecture_id>/", api.LectureDetailApi.as_view(), name="students-lecture"),
    path("lectures/<int:lecture_id>/signup/", api.LectureSignupApi.as_view(action="signup"),
         name="students-lecture-signup"),
    path("lectures/<int:lecture_id>/cancel/", api.LectureSignupApi.as_view(action="cancel"),
         name="students-lecture-cancel"),
    path("lectures/<int:lecture_id>/attendance/", api.LectureAttendanceApi.as_view(),
         name="students-lecture-attendance"),
]
