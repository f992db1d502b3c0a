"""Celery tasks of the radar: chart files and term snapshots. They take ids and call services."""

from __future__ import annotations

from celery import shared_task
from django.utils import translation

from . import charts

REFRESH_LIMIT = 200  # above this many students, charts are re-rendered lazily when viewed


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def radar_student_charts_task(student_id: int, lang: str, kinds: list[str] | None = None) -> int:
    from ..profiles.models import StudentProfile

    student = StudentProfile.objects.filter(pk=student_id).first()
    if student is None:
        return 0
    with translation.override(lang):
        for kind in kinds or charts.KINDS:
            data = charts.student_chart_data(student=student, kind=kind)
            charts.charts_write(subject=charts.student_subject(student_id), data=data, lang=lang)
    return 1


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def radar_class_chart_task(class_id: int, lang: str) -> int:
    from teachers.models import SchoolClass

    from .selectors import class_radar_summary

    school_class = SchoolClass.objects.filter(pk=class_id).first()
    if school_class is None:
        return 0
    with translation.override(lang):
        summary = class_radar_summary(school_class=school_class)
        data = charts.class_chart_data(school_class=school_class, summary=summary)
        charts.charts_write(subject=charts.class_subject(class_id), data=data, lang=lang)
    return 1


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def radar_charts_refresh_task(student_ids: list[int]) -> int:
    """After grades changed: drop the students' old charts and render new ones in each
    student's language (for small batches; big imports re-render lazily)."""
    from ..profiles.models import StudentProfile

    rows = list(StudentProfile.objects.filter(pk__in=student_ids).values_list("pk", "school_class_id", "user__language"))
    for sid, _class_id, _lang in rows:
        charts.charts_invalidate(subject=charts.student_subject(sid))
    for class_id in {c for _, c, _ in rows}:
        charts.charts_invalidate(subject=charts.class_subject(class_id))
    if len(rows) > REFRESH_LIMIT:
        return 0
    from django.conf import settings

    for sid, _class_id, lang in rows:
        radar_student_charts_task(sid, (lang or settings.LANGUAGE_CODE).lower())
    return len(rows)


@shared_task(acks_late=True, soft_time_limit=900, time_limit=1000)
def radar_terms_close_task() -> list[int]:
    """Freeze the radar of every term that has ended (beat, every 6 hours)."""
    from .services import radar_terms_close_due

    return radar_terms_close_due()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def radar_cohort_sums_rebuild_task() -> int:
    """Rebuild every cohort's stored attainment sums from the attainments (nightly): the
    services keep them in step; this repairs them after a write that went around them."""
    from .cohort_sums import cohort_sums_refresh

    return cohort_sums_refresh()
