from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Students")

    def ready(self) -> None:
        from teachers.signals import grades_changed

        from .points.receivers import on_grades_changed as points_on_grades_changed
        from .radar.receivers import on_grades_changed as radar_on_grades_changed

        grades_changed.connect(radar_on_grades_changed, dispatch_uid="students.radar.on_grades_changed")
        grades_changed.connect(points_on_grades_changed, dispatch_uid="students.points.on_grades_changed")
