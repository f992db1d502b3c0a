from django.urls import path

from . import growth_views

urlpatterns = [
    path("rankings/", growth_views.RankingView.as_view(), name="rankings"),
    path("points/", growth_views.PointsView.as_view(), name="points"),
    path("points/<str:student_number>/", growth_views.StudentPointsView.as_view(), name="student_points"),
    path("points/<str:student_number>/grant/", growth_views.PointsGrantView.as_view(), name="points_grant"),
    path("points/<str:student_number>/reverse/<int:entry_id>/", growth_views.PointsReverseView.as_view(),
         name="points_reverse"),
]

from . import competition_views  # noqa: E402

urlpatterns += [
    path("competitions/", competition_views.CompetitionsView.as_view(), name="competitions"),
    path("competitions/new/", competition_views.CompetitionCreateView.as_view(), name="competition_create"),
    path("competitions/entries/new/", competition_views.EntrySubmitView.as_view(), name="entry_submit"),
    path("awards/review/", competition_views.AwardsReviewView.as_view(), name="awards_review"),
    path("awards/<int:entry_id>/review/", competition_views.EntryReviewView.as_view(), name="entry_review"),
    path("awards/<int:entry_id>/certificate/", competition_views.EntryCertificateView.as_view(),
         name="entry_certificate"),
]

from . import resume_views  # noqa: E402

urlpatterns += [
    path("resume/", resume_views.ResumeView.as_view(), name="resume"),
    path("resume/share/", resume_views.ResumeShareView.as_view(), name="resume_share"),
    path("resume/revoke/", resume_views.ResumeShareView.as_view(revoke=True), name="resume_revoke"),
    path("resume/pdf/", resume_views.ResumePdfView.as_view(), name="resume_pdf"),
    path("r/<str:token>/", resume_views.SharedResumeView.as_view(), name="resume_shared"),
    path("r/<str:token>/pdf/", resume_views.SharedResumePdfView.as_view(), name="resume_shared_pdf"),
    path("resumes/", resume_views.ResumeBrowseView.as_view(), name="resume_browse"),
    path("resumes/<str:student_number>/", resume_views.StudentResumeView.as_view(), name="student_resume"),
    path("resumes/<str:student_number>/pdf/", resume_views.StudentResumePdfView.as_view(), name="student_resume_pdf"),
]

from . import stars_views  # noqa: E402

urlpatterns += [
    path("stars/", stars_views.StarsView.as_view(), name="stars"),
    path("stars/select/", stars_views.StarsSelectView.as_view(), name="stars_select"),
]

from . import outlook_views  # noqa: E402

urlpatterns += [
    path("outlook/", outlook_views.OutlookView.as_view(), name="outlook"),
    path("outlook/models/", outlook_views.OutlookAdminView.as_view(), name="outlook_admin"),
    path("outlook/models/retrain/", outlook_views.OutlookRetrainView.as_view(), name="outlook_retrain"),
]
