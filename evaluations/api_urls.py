from django.urls import path

from . import api

urlpatterns = [
    path("evaluations/rounds/", api.RoundListApi.as_view(), name="evaluations-rounds"),
    path("evaluations/rounds/<int:round_id>/", api.RoundDetailApi.as_view(), name="evaluations-round-detail"),
    path("evaluations/rounds/<int:round_id>/result/", api.RoundResultApi.as_view(), name="evaluations-round-result"),
    path("evaluations/invitations/", api.InvitationListApi.as_view(), name="evaluations-invitations"),
    path("evaluations/invitations/<int:invitation_id>/submission/", api.SubmissionApi.as_view(),
         name="evaluations-submission"),
]
