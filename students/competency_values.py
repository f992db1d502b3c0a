"""Bridge to the competency attainment of the radar (issue 3).

Rankings by competency need a per-student, per-competency attainment table.
Until the radar lands this reports itself unavailable and the API answers 400.
"""

from __future__ import annotations


def available() -> bool:
    return False


def attainment_expression(competency):  # pragma: no cover - replaced when the radar lands
    raise NotImplementedError


def radar_for_student(student) -> list[dict] | None:
    """[{"code", "label", "value" 0..1}] for the student's major, or None."""
    return None
