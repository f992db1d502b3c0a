from django.urls import path

from . import moderation_views, student_views, views

app_name = "enterprises"

urlpatterns = [
    # enterprise staff
    path("", views.HomeView.as_view(), name="home"),
    path("postings/new/", views.PostingCreateView.as_view(), name="posting_create"),
    path("postings/<int:posting_id>/", views.PostingDetailView.as_view(), name="posting_detail"),
    path("postings/<int:posting_id>/edit/", views.PostingEditView.as_view(), name="posting_edit"),
    path("postings/<int:posting_id>/action/", views.PostingActionView.as_view(), name="posting_action"),
    path("postings/<int:posting_id>/bulk/", views.PostingBulkView.as_view(), name="posting_bulk"),
    path("postings/<int:posting_id>/candidates/", views.CandidatesView.as_view(), name="candidates"),
    path("postings/<int:posting_id>/candidates/<str:student_number>/", views.CandidateDetailView.as_view(),
         name="candidate_detail"),
    path("applications/<int:application_id>/review/", views.ApplicationReviewView.as_view(),
         name="application_review"),
    path("organization/", views.OrganizationView.as_view(), name="organization"),
    path("organization/invite/", views.InviteView.as_view(), name="invite"),
    path("organization/invitations/<int:invitation_id>/revoke/", views.InvitationRevokeView.as_view(),
         name="invitation_revoke"),
    path("organization/members/<int:membership_id>/", views.MemberUpdateView.as_view(), name="member_update"),
    path("join/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("demand/", views.DemandView.as_view(), name="demand"),
    # students (and every reader of postings)
    path("jobs/", student_views.PostingBrowseView.as_view(), name="posting_browse"),
    path("jobs/<int:posting_id>/", student_views.PostingView.as_view(), name="posting_view"),
    path("applications/", student_views.MyApplicationsView.as_view(), name="my_applications"),
    path("applications/<int:application_id>/", student_views.MyApplicationView.as_view(), name="my_application"),
    path("career/", student_views.CareerProfileView.as_view(), name="career_profile"),
    path("career/<str:student_number>/files/<str:item>/", student_views.CareerFileView.as_view(), name="career_file"),
    # school administrators
    path("moderation/", moderation_views.ModerationQueueView.as_view(), name="moderation"),
    path("moderation/<int:posting_id>/", moderation_views.ModerateView.as_view(), name="moderate"),
    path("moderation/organizations/<int:organization_id>/", moderation_views.CooperationView.as_view(),
         name="cooperation"),
]

# Internships (issue 11): enterprises/internships/urls.py
from .internships.urls import urlpatterns as internship_urlpatterns  # noqa: E402

urlpatterns += internship_urlpatterns
# careers after graduation, employer feedback, demand vs supply (enterprises/careers/)
from .careers.urls import urlpatterns as careers_urlpatterns  # noqa: E402

urlpatterns += careers_urlpatterns
