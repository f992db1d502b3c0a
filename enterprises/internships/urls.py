"""Pages of the internships, appended to the enterprises namespace (enterprises/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("internships/", views.HomeView.as_view(), name="internship_home"),
    path("internships/assign/", views.AssignView.as_view(), name="internship_assign"),
    path("internships/review/", views.ReviewBatchView.as_view(), name="internship_review"),
    path("internships/placements/<int:placement_id>/", views.PlacementView.as_view(), name="internship_placement"),
    path("internships/placements/<int:placement_id>/checkin/", views.CheckInView.as_view(),
         name="internship_checkin"),
    path("internships/placements/<int:placement_id>/logs/new/", views.LogCreateView.as_view(),
         name="internship_log_new"),
    path("internships/placements/<int:placement_id>/message/", views.MessageView.as_view(),
         name="internship_message"),
    path("internships/placements/<int:placement_id>/leave/", views.LeaveView.as_view(), name="internship_leave"),
    path("internships/placements/<int:placement_id>/summary/", views.SummaryView.as_view(),
         name="internship_summary"),
    path("internships/placements/<int:placement_id>/posts/", views.PostAddView.as_view(), name="internship_post_add"),
    path("internships/placements/<int:placement_id>/terminate/", views.TerminateView.as_view(),
         name="internship_terminate"),
    path("internships/logs/<int:log_id>/", views.LogView.as_view(), name="internship_log"),
    path("internships/logs/<int:log_id>/revise/", views.LogReviseView.as_view(), name="internship_log_revise"),
    path("internships/logs/<int:log_id>/files/<str:item>/", views.LogFileView.as_view(), name="internship_log_file"),
    path("internships/leave/<int:leave_id>/decide/", views.LeaveDecideView.as_view(), name="internship_leave_decide"),
    path("internships/flags/<int:flag_id>/dismiss/", views.FlagDismissView.as_view(), name="internship_flag_dismiss"),
]
