from django.urls import path

from . import views
from .assessment import views as assessment_views
from .curriculum import views as curriculum_views
from .reform import views as reform_views
from .resources import views as resource_views
from .supervision import views as supervision_views

app_name = "teachers"

REFORM_ACTIONS = ("submit", "revise", "invite", "comment", "vote", "approve", "reject")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("offerings/<int:offering_id>/gradebook/", views.GradebookView.as_view(), name="gradebook"),
    path("offerings/<int:offering_id>/gradebook/import/", views.GradebookImportView.as_view(), name="gradebook_import"),
    path("offerings/<int:offering_id>/gradebook/imports/<int:import_id>/", views.GradebookImportStatusView.as_view(),
         name="gradebook_import_status"),
    path("offerings/<int:offering_id>/gradebook.<str:fmt>", views.GradebookExportView.as_view(), name="gradebook_export"),
    # process-based assessment
    path("offerings/<int:offering_id>/components/", assessment_views.GradeComponentsView.as_view(),
         name="grade_components"),
    path("offerings/<int:offering_id>/component-scores/", assessment_views.ComponentScoresView.as_view(),
         name="component_scores"),
    # courses, programs and offerings in the site
    path("courses/", curriculum_views.CourseListView.as_view(), name="course_list"),
    path("courses/new/", curriculum_views.CourseCreateView.as_view(), name="course_create"),
    path("courses/<int:course_id>/", curriculum_views.CourseDetailView.as_view(), name="course_detail"),
    path("courses/<int:course_id>/edit/", curriculum_views.CourseEditView.as_view(), name="course_edit"),
    path("programs/", curriculum_views.ProgramListView.as_view(), name="program_list"),
    path("programs/new/", curriculum_views.ProgramCreateView.as_view(), name="program_create"),
    path("programs/<int:program_id>/", curriculum_views.ProgramDetailView.as_view(), name="program_detail"),
    path("programs/<int:program_id>/courses/<int:course_id>/remove/",
         curriculum_views.ProgramCourseRemoveView.as_view(), name="program_course_remove"),
    path("offerings/new/", curriculum_views.OfferingCreateView.as_view(), name="offering_create"),
    # course reform
    path("reforms/", reform_views.ReformListView.as_view(), name="reform_list"),
    path("reforms/new/", reform_views.ReformCreateView.as_view(), name="reform_create"),
    path("reforms/<int:reform_id>/", reform_views.ReformDetailView.as_view(), name="reform_detail"),
    path("reforms/<int:reform_id>/edit/", reform_views.ReformEditView.as_view(), name="reform_edit"),
    *[path(f"reforms/<int:reform_id>/{action}/", reform_views.ReformActionView.as_view(action=action),
           name=f"reform_{action}") for action in REFORM_ACTIONS],
    path("courses/<int:course_id>/quality/", supervision_views.CourseQualityView.as_view(), name="course_quality"),
    # quality co-supervision
    path("supervision/", supervision_views.SupervisionHomeView.as_view(), name="supervision_home"),
    path("supervision/plans/new/", supervision_views.PlanCreateView.as_view(), name="supervision_plan_create"),
    path("supervision/plans/<int:plan_id>/", supervision_views.PlanDetailView.as_view(), name="supervision_plan"),
    path("supervision/plans/<int:plan_id>/observe/", supervision_views.PlanActionView.as_view(action="observe"),
         name="supervision_observe"),
    path("supervision/plans/<int:plan_id>/findings/", supervision_views.PlanActionView.as_view(action="finding"),
         name="supervision_finding"),
    path("supervision/tasks/<int:task_id>/", supervision_views.TaskDetailView.as_view(), name="supervision_task"),
    *[path(f"supervision/tasks/<int:task_id>/{action}/", supervision_views.TaskActionView.as_view(action=action),
           name=f"supervision_{action}") for action in ("evidence", "close", "reopen")],
    path("supervision/evidence-files/<int:file_id>/", supervision_views.EvidenceFileView.as_view(),
         name="supervision_evidence_file"),
    path("feedback/", supervision_views.FeedbackView.as_view(), name="course_feedback"),
    # shared resources and the case library
    path("resources/", resource_views.ResourceListView.as_view(), name="resource_list"),
    path("resources/new/", resource_views.ResourceUploadView.as_view(), name="resource_upload"),
    path("resources/<int:resource_id>/", resource_views.ResourceDetailView.as_view(), name="resource_detail"),
    path("resources/<int:resource_id>/download/", resource_views.ResourceFileView.as_view(what="download"),
         name="resource_download"),
    path("resources/<int:resource_id>/preview.jpg", resource_views.ResourceFileView.as_view(what="preview"),
         name="resource_preview"),
    path("resources/<int:resource_id>/rate/", resource_views.ResourceActionView.as_view(action="rate"),
         name="resource_rate"),
    path("resources/<int:resource_id>/delete/", resource_views.ResourceActionView.as_view(action="delete"),
         name="resource_delete"),
]
