"""The Celery application. Queues: `default` (charts, imports, notifications,
scoring) and `inference` (deepfake jobs; GPU workers listen there)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings.local")

app = Celery("chanjiao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
