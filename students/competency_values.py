"""Bridge to the competency attainment of the radar (issue 3): the stored
`CompetencyAttainment` (student x competency -> 0..1)."""

from __future__ import annotations

from django.db.models import F, FilteredRelation, FloatField, Q, QuerySet, Value
from django.db.models.functions import Coalesce


def available() -> bool:
    try:
        from .models import CompetencyAttainment  # noqa: F401
    except ImportError:
        return False
    return True


def annotate_attainment(qs: QuerySet, competency) -> QuerySet:
    """LEFT JOIN the one attainment row of the competency; students without one count as 0."""
    return qs.annotate(
        _att=FilteredRelation("attainments", condition=Q(attainments__competency_id=competency.pk))
    ).annotate(value=Coalesce(F("_att__attainment"), Value(0.0), output_field=FloatField()))


def radar_for_student(student) -> list[dict] | None:
    """[{"code", "label", "value" 0..1}] over the student's whole framework, or None."""
    if not available():
        return None
    from teachers.models import Competency

    from .models import CompetencyAttainment

    values = dict(CompetencyAttainment.objects.filter(student=student).values_list("competency_id", "attainment"))
    comps = Competency.objects.filter(major_id=student.major_id).order_by("order", "code")
    return [{"code": c.code, "label": c.display_name, "value": float(values.get(c.pk, 0.0))} for c in comps]
