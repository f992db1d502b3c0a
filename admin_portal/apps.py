from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminPortalConfig(AppConfig):
    name = "admin_portal"
    verbose_name = _("School administration")

    def ready(self) -> None:
        # The last project app in INSTALLED_APPS: every app is loaded when this runs.
        from platform_site.startup import gc_resume

        gc_resume()
