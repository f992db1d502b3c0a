from django.urls import path

from . import api

urlpatterns = [
    path("competitions/", api.CompetitionListCreateApi.as_view(), name="students-competitions"),
    path("me/competition-entries/", api.MyEntryListCreateApi.as_view(), name="students-my-competition-entries"),
    path("competition-entries/", api.EntryReviewListApi.as_view(), name="students-competition-entries"),
    path("competition-entries/<int:entry_id>/", api.EntryDetailApi.as_view(), name="students-competition-entry"),
    path("competition-entries/<int:entry_id>/review/", api.EntryReviewApi.as_view(),
         name="students-competition-entry-review"),
]
