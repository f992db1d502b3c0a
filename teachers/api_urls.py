from django.urls import path

from . import api

urlpatterns = [
    path("courses/", api.CourseListApi.as_view(), name="teachers-courses"),
    path("courses/<int:course_id>/", api.CourseDetailApi.as_view(), name="teachers-course"),
    path("reforms/", api.ReformListApi.as_view(), name="teachers-reforms"),
    path("reforms/<int:reform_id>/", api.ReformDetailApi.as_view(), name="teachers-reform"),
    path("reforms/<int:reform_id>/impact/", api.ReformImpactApi.as_view(), name="teachers-reform-impact"),
    *[path(f"reforms/<int:reform_id>/{action}/", api.ReformActionApi.as_view(action=action),
           name=f"teachers-reform-{action}") for action in ("vote", "approve", "reject", "submit", "revise")],
    path("resources/", api.ResourceListApi.as_view(), name="teachers-resources"),
    path("supervision/tasks/", api.SupervisionTaskListApi.as_view(), name="teachers-tasks"),
    *[path(f"supervision/tasks/<int:task_id>/{action}/", api.SupervisionTaskActionApi.as_view(action=action),
           name=f"teachers-task-{action}") for action in ("evidence", "close", "reopen")],
]
