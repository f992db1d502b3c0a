"""Keep the stored radar in step with grades (teachers.signals.grades_changed)."""

from __future__ import annotations

import threading

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


_COHORT_FIELDS = {"major", "major_id", "intake_year", "school_class", "school_class_id"}


def on_profile_pre_save(sender, instance, *, raw=False, update_fields=None, **kwargs) -> None:
    """Remember the cohort and class a saved profile leaves (read only when the save may change them)."""
    instance._cohort_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not _COHORT_FIELDS & set(update_fields):
        return
    instance._cohort_before = (
        sender.objects.filter(pk=instance.pk).values_list("major_id", "intake_year", "school_class_id").first()
    )


def on_profile_post_save(sender, instance, *, raw=False, created=False, **kwargs) -> None:
    """A student who changes major, intake year or class moves their attainments between the
    stored sums: the cohort they leave and the one they join are recomputed."""
    from .cohort_sums import cohort_sums_refresh

    before = getattr(instance, "_cohort_before", None)
    if raw or created or before is None:
        return
    if tuple(before) != (instance.major_id, instance.intake_year, instance.school_class_id):
        cohort_sums_refresh(cohorts=[tuple(before[:2]), (instance.major_id, instance.intake_year)])


_pending = threading.local()  # per thread, like its database connections


def _pending_deletes() -> dict[str, set[tuple[int, int]]]:
    if not hasattr(_pending, "deletes"):
        _pending.deletes = {}
    return _pending.deletes


def on_profile_post_delete(sender, instance, *, using="default", **kwargs) -> None:
    """A deleted student's attainments went with them (cascade): their cohort's sums follow,
    once per cohort after the deleting transaction commits (deleting a class sends one signal
    per student; a rolled-back one leaves only a harmless extra refresh)."""
    from .cohort_sums import cohort_sums_refresh

    # Every signal registers the callback (a rolled-back transaction drops its callbacks);
    # the first to run refreshes the cohorts gathered so far, the others find nothing left.
    _pending_deletes().setdefault(using, set()).add((instance.major_id, instance.intake_year))
    transaction.on_commit(lambda: cohort_sums_refresh(cohorts=_pending_deletes().pop(using, set())), using=using)


def on_attainment_post_save(sender, instance, *, raw=False, **kwargs) -> None:
    """A single attainment saved outside the radar services (the services write in bulk and
    refresh the cohort themselves): its cohort's sums follow."""
    from ..profiles.models import StudentProfile
    from .cohort_sums import cohort_sums_refresh

    if raw:
        return
    cohort = StudentProfile.objects.filter(pk=instance.student_id).values_list("major_id", "intake_year").first()
    if cohort is not None:
        cohort_sums_refresh(cohorts=[cohort])
