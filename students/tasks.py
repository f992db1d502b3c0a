"""Celery's autodiscovery imports `<app>.tasks`; the students app's tasks live in their
feature packages and are named after them (`students.radar.tasks.radar_charts_refresh_task`).
Importing the modules here registers them with the worker."""

from .outlook import tasks as outlook_tasks
from .radar import tasks as radar_tasks
from .rankings import tasks as rankings_tasks
from .stars import tasks as stars_tasks

__all__ = ["outlook_tasks", "radar_tasks", "rankings_tasks", "stars_tasks"]
