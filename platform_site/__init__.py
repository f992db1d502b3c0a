"""Project configuration: settings, URLs, the Celery app. No models live here."""

from .celery import app as celery_app

__all__ = ("celery_app",)
