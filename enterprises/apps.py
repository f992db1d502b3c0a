from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from teachers.signals import grades_changed

        from .vectors import on_grades_changed

        # Connected after the students app's receiver (app order), which recomputes the radar first.
        grades_changed.connect(on_grades_changed, dispatch_uid="enterprises.vectors.on_grades_changed")
        from .internships import tasks as _internship_tasks  # noqa: F401 - registers the internships' tasks
