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

from . import experiment_views  # noqa: E402

urlpatterns += [
    path("experiments/", experiment_views.ExperimentListView.as_view(), name="experiment_list"),
    path("challenges/<int:challenge_id>/experiments/start/", experiment_views.ExperimentStartView.as_view(),
         name="experiment_start"),
    path("experiments/<int:experiment_id>/", experiment_views.ExperimentDetailView.as_view(), name="experiment_detail"),
    path("experiments/<int:experiment_id>/roc/", experiment_views.ExperimentRocView.as_view(), name="experiment_roc"),
    path("experiments/<int:experiment_id>/submit/", experiment_views.ExperimentSubmitView.as_view(),
         name="experiment_submit"),
]
