from django.urls import path

from . import api

urlpatterns = [
    path("postings/", api.PostingListApi.as_view(), name="postings"),
    path("postings/<int:posting_id>/", api.PostingDetailApi.as_view(), name="posting-detail"),
    path("postings/<int:posting_id>/applications/", api.PostingApplyApi.as_view(), name="posting-apply"),
    path("postings/<int:posting_id>/candidates/", api.PostingCandidatesApi.as_view(), name="posting-candidates"),
    path("students/<str:student_number>/posting-matches/", api.StudentPostingMatchesApi.as_view(),
         name="student-posting-matches"),
]

# Internships (issue 11)
from .internships.api_urls import urlpatterns as internship_api_urlpatterns  # noqa: E402

urlpatterns += internship_api_urlpatterns
# careers after graduation, employer feedback, demand vs supply (enterprises/careers/)
from .careers.api_urls import urlpatterns as careers_api_urlpatterns  # noqa: E402

urlpatterns += careers_api_urlpatterns
