from __future__ import annotations

from ..models import CourseOffering
from .models import ComponentScore, GradeComponent


def components_for_offering(*, offering: CourseOffering) -> list[GradeComponent]:
    return list(GradeComponent.objects.filter(offering=offering))


def component_cells(*, offering: CourseOffering, rows: list, components: list[GradeComponent],
                    errors: dict | None = None, posted: dict | None = None) -> None:
    """Attach `row.cells` = [{component, value, error, name}] to each gradebook row (one query)."""
    errors, posted = errors or {}, posted or {}
    scores = {(s.enrolment_id, s.component_id): s.score
              for s in ComponentScore.objects.filter(component__offering=offering).only(
                  "enrolment_id", "component_id", "score")}
    for row in rows:
        row.cells = []
        for c in components:
            key = (row.pk, c.pk)
            row.cells.append({
                "component": c, "name": f"comp-{row.pk}-{c.pk}",
                "value": posted[key] if key in posted else scores.get(key),
                "error": errors.get(f"{row.pk}-{c.pk}"),
            })
