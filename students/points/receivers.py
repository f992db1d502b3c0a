"""Grade points follow the gradebook (teachers.signals.grades_changed)."""

from __future__ import annotations


def on_grades_changed(sender, *, user_ids, **kwargs) -> None:
    """teachers.signals.grades_changed receiver."""
    from .services import points_sync_course_grades

    points_sync_course_grades(user_ids=user_ids)
