from django.urls import path

from . import views

urlpatterns = [
    path("competitions/", views.CompetitionsView.as_view(), name="competitions"),
    path("competitions/new/", views.CompetitionCreateView.as_view(), name="competition_create"),
    path("competitions/entries/new/", views.EntrySubmitView.as_view(), name="entry_submit"),
    path("awards/review/", views.AwardsReviewView.as_view(), name="awards_review"),
    path("awards/<int:entry_id>/review/", views.EntryReviewView.as_view(), name="entry_review"),
    path("awards/<int:entry_id>/certificate/", views.EntryCertificateView.as_view(), name="entry_certificate"),
]
