from django.urls import path

from . import views

urlpatterns = [
    path("challenges/", views.ChallengeListView.as_view(), name="challenge_list"),
    path("challenges/new/", views.ChallengeCreateView.as_view(), name="challenge_create"),
    path("challenges/<int:challenge_id>/", views.ChallengeDetailView.as_view(), name="challenge_detail"),
    path("challenges/<int:challenge_id>/team/", views.TeamJoinView.as_view(), name="challenge_team"),
    path("challenges/<int:challenge_id>/download/<slug:name>/", views.ChallengeDownloadView.as_view(),
         name="challenge_download"),
    path("challenges/phases/<int:phase_id>/submit/", views.SubmitView.as_view(), name="challenge_submit"),
    path("challenges/phases/<int:phase_id>/close/", views.PhaseCloseView.as_view(), name="challenge_phase_close"),
]
