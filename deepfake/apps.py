from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeepfakeConfig(AppConfig):
    name = "deepfake"
    verbose_name = _("Deepfake lab")

    def ready(self) -> None:
        # The challenge tasks live outside deepfake/tasks.py; importing them registers them with Celery.
        from .challenges import tasks  # noqa: F401
