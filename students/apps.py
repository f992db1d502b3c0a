from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Students")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from teachers.signals import grades_changed

        from .points.receivers import on_grades_changed as points_on_grades_changed
        from .profiles.models import StudentProfile
        from .radar import receivers as radar_receivers
        from .radar.models import CompetencyAttainment
        from .radar.receivers import on_grades_changed as radar_on_grades_changed

        grades_changed.connect(radar_on_grades_changed, dispatch_uid="students.radar.on_grades_changed")
        grades_changed.connect(points_on_grades_changed, dispatch_uid="students.points.on_grades_changed")
        # The stored cohort sums follow students who join another cohort or leave.
        pre_save.connect(radar_receivers.on_profile_pre_save, sender=StudentProfile,
                         dispatch_uid="students.radar.cohort_pre_save")
        post_save.connect(radar_receivers.on_profile_post_save, sender=StudentProfile,
                          dispatch_uid="students.radar.cohort_post_save")
        post_delete.connect(radar_receivers.on_profile_post_delete, sender=StudentProfile,
                            dispatch_uid="students.radar.cohort_post_delete")
        post_save.connect(radar_receivers.on_attainment_post_save, sender=CompetencyAttainment,
                          dispatch_uid="students.radar.cohort_attainment_post_save")
