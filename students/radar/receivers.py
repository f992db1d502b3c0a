"""Keep the stored radar in step with grades (teachers.signals.grades_changed)."""

from __future__ import annotations

from django.db import transaction


def on_grades_changed(sender, *, user_ids, **kwargs) -> None:
    from ..profiles.models import StudentProfile
    from .services import radar_recompute_for_users
    from .tasks import radar_charts_refresh_task

    # Synchronously, inside the grade change's transaction: the next page shows it.
    radar_recompute_for_users(user_ids=user_ids)
    student_ids = list(StudentProfile.objects.filter(user_id__in=list(user_ids)).values_list("pk", flat=True))
    if student_ids:
        transaction.on_commit(lambda: radar_charts_refresh_task.delay(student_ids))
