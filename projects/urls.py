from django.urls import path, re_path

from . import cohort_views, views

app_name = "projects"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("list/", views.ProjectListView.as_view(), name="project_list"),
    path("new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("<int:project_id>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:project_id>/moderate/", views.ProjectModerateView.as_view(), name="project_moderate"),
    path("<int:project_id>/resubmit/", views.ProjectResubmitView.as_view(), name="project_resubmit"),
    path("<int:project_id>/bid/", views.BidView.as_view(), name="bid"),
    path("<int:project_id>/rate/", views.ProjectRateView.as_view(), name="project_rate"),
    path("bids/<int:bid_id>/select/", views.BidSelectView.as_view(), name="bid_select"),
    path("milestones/<int:milestone_id>/submit/", views.MilestoneSubmitView.as_view(), name="milestone_submit"),
    path("milestones/<int:milestone_id>/review/", views.MilestoneReviewView.as_view(), name="milestone_review"),
    path("deliverables/<int:submission_id>/", views.DeliverableDownloadView.as_view(), name="deliverable"),
    path("teams/", views.TeamListView.as_view(), name="teams"),
    path("teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path("ventures/", views.VentureListView.as_view(), name="ventures"),
    path("ventures/new/", views.VentureRegisterView.as_view(), name="venture_register"),
    path("ventures/<int:venture_id>/milestones/", views.VentureMilestoneView.as_view(), name="venture_milestone"),
    path("studios/", views.StudioListView.as_view(), name="studios"),
    path("studios/<int:studio_id>/", views.StudioDetailView.as_view(), name="studio_detail"),
    path("studios/<int:studio_id>/apply/", views.StudioApplyView.as_view(), name="studio_apply"),
    path("studio-members/<int:member_id>/decide/", views.StudioDecideView.as_view(), name="studio_decide"),
    path("rounds/", cohort_views.RoundListView.as_view(), name="rounds"),
    path("rounds/<int:round_id>/", cohort_views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:round_id>/apply/", cohort_views.RoundApplyView.as_view(), name="round_apply"),
    path("rounds/<int:round_id>/rank/", cohort_views.RoundRankView.as_view(), name="round_rank"),
    re_path(r"^rounds/(?P<round_id>[0-9]+)/(?P<action>close|compute|confirm|second)/$",
            cohort_views.RoundActionView.as_view(), name="round_action"),
    path("options/<int:option_id>/rank/", cohort_views.OptionRankView.as_view(), name="option_rank"),
    path("order-classes/", cohort_views.OrderClassListView.as_view(), name="order_classes"),
    path("order-classes/<int:order_class_id>/", cohort_views.OrderClassDetailView.as_view(), name="order_class_detail"),
    path("graduation/", cohort_views.GraduationView.as_view(), name="graduation"),
    path("graduation/topics/new/", cohort_views.TopicProposeView.as_view(), name="topic_propose"),
    path("graduation/topics/<int:topic_id>/review/", cohort_views.TopicReviewView.as_view(), name="topic_review"),
    path("graduation/designs/<int:design_id>/grade/", cohort_views.DesignGradeView.as_view(), name="design_grade"),
    path("graduation/designs/<int:design_id>/submit/", cohort_views.DesignSubmitView.as_view(), name="design_submit"),
    path("graduation/files/<int:submission_id>/", cohort_views.GraduationFileView.as_view(), name="graduation_file"),
]
