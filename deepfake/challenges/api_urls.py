from django.urls import path

from . import api

urlpatterns = [
    path("deepfake/challenges/", api.ChallengeListApi.as_view(), name="deepfake-challenges"),
    path("deepfake/challenges/<int:challenge_id>/", api.ChallengeDetailApi.as_view(), name="deepfake-challenge-detail"),
    path("deepfake/challenges/phases/<int:phase_id>/leaderboard/", api.LeaderboardApi.as_view(),
         name="deepfake-challenge-leaderboard"),
    path("deepfake/challenges/phases/<int:phase_id>/submissions/", api.SubmissionListCreateApi.as_view(),
         name="deepfake-challenge-submissions"),
]
urlpatterns += [
    path("deepfake/experiments/", api.ExperimentListCreateApi.as_view(), name="deepfake-experiments"),
]
