"""Component scores in the gradebook's CSV/XLSX import and export.

An offering with grade components imports one column per component, headed by the
component's code (e.g. attendance, tasks, project, exam) beside student_number; the
final is computed, never imported. Row checks (roster, duplicates, other offering) and
the all-or-nothing rule are the gradebook import's own (teachers.gradebook_io)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.errors import ApplicationError
from accounts.models import User

from ..gradebook_io import ImportReport, gradebook_import
from ..models import CourseOffering, GradeChange
from ..roster import student_numbers
from ..services import score_parse
from .models import ComponentScore, GradeComponent
from .services import component_scores_save


def _format(value) -> str:
    return "" if value is None else f"{Decimal(value).normalize():f}"


def component_columns_add(columns: list[str], rows: list[list[str]], *, offering: CourseOffering
                          ) -> tuple[list[str], list[list[str]]]:
    """Insert one column per component before the final score (a no-op without components).
    Rows start with the student number, as gradebook_rows_for_export writes them."""
    components = list(GradeComponent.objects.filter(offering=offering).values_list("pk", "code"))
    if not components:
        return columns, rows
    scored = list(ComponentScore.objects.filter(component__offering=offering).values_list(
        "enrolment__student_id", "component_id", "score"))
    numbers = student_numbers(user_ids={user_id for user_id, _cid, _score in scored})
    scores = {(numbers.get(user_id), cid): score for user_id, cid, score in scored}
    position = columns.index("score")
    codes = [code for _cid, code in components]
    out_rows = [row[:position] + [_format(scores.get((row[0], cid))) for cid, _code in components] + row[position:]
                for row in rows]
    return columns[:position] + codes + columns[position:], out_rows


def gradebook_import_any(*, actor: User, offering: CourseOffering, upload_name: str, data: bytes,
                         reason: str = "", progress=None) -> ImportReport:
    """The gradebook import: final scores, or component scores when the offering has components."""
    components = list(GradeComponent.objects.filter(offering=offering))
    if not components:
        return gradebook_import(actor=actor, offering=offering, upload_name=upload_name, data=data, reason=reason,
                                progress=progress)

    def parse_row(row) -> dict[int, Decimal | None]:
        values, problems = {}, []
        for component in components:
            try:
                values[component.pk] = score_parse(row.get(component.code))
            except ApplicationError as exc:
                problems.append(f"{component.code}: {exc.message}")
        if problems:
            raise ApplicationError("; ".join(problems), code="invalid_score")
        return values

    def apply(*, actor, offering, rows, reason) -> int:
        scores = {(eid, cid): value for eid, values in rows for cid, value in values.items()}
        return component_scores_save(actor=actor, offering=offering, scores=scores,
                                     reason=reason or _("Import"), source=GradeChange.Source.IMPORT)

    codes = tuple(c.code for c in components)
    return gradebook_import(
        actor=actor, offering=offering, upload_name=upload_name, data=data, reason=reason,
        required=("student_number", *codes), parse_row=parse_row, apply=apply, progress=progress,
        missing_hint=_("Missing column(s): %(columns)s. This offering is graded by components: give student_number "
                       "and one column per component code."),
    )
