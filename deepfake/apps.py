from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeepfakeConfig(AppConfig):
    name = "deepfake"
    verbose_name = _("Deepfake lab")
