"""Candidate vectors: each student's radar as one row (enterprises.CandidateVector), the
table the candidate ranking reads (see matching.candidate_page and
docs/talent-market.md#matching-explained).

Kept in step with the radar (and the career profile's visibility) three ways:
- grade changes: a receiver of `teachers.signals.grades_changed` (connected after the
  students app's own, which recomputes the radar first) rewrites those students' rows
  in the same transaction;
- new students: every read compares the newest student id with the one the major's
  vectors were built up to (an index lookup) and adds the missing rows;
- a student changing their visibility: the career-profile service updates the row;
- anything else that rewrites the radar (a full `radar_recompute`, an import) or the
  profiles in bulk: at most once a minute per major a read compares a marker (students,
  profiles, newest radar computed_at and profile edit) with the one the vectors were
  built from, and rebuilds.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from students.models import CompetencyAttainment, StudentProfile
from teachers.models import Competency

from .models import VECTOR_AXES, CandidateVector, CandidateVectorState, CareerProfile

CHECK_EVERY = datetime.timedelta(seconds=60)


def _q(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def axes_by_major(major_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """{major id: {competency id: column index}} in the radar's axis order."""
    out: dict[int, dict[int, int]] = {}
    for major_id, competency_id in (Competency.objects.filter(major_id__in=list(major_ids))
                                    .order_by("major_id", "order", "code").values_list("major_id", "pk")):
        axes = out.setdefault(major_id, {})
        axes[competency_id] = len(axes)
    return out


def _write(major_id: int, axes: dict[int, int], *, student_ids: list[int] | None = None,
           above_id: int | None = None) -> None:
    """(Re)write the vectors of a major: all, some students, or those above an id."""
    columns = ", ".join(f"a{i}" for i in range(VECTOR_AXES))
    pivots = []
    params: list = []
    for index in range(VECTOR_AXES):
        competency_id = next((c for c, i in axes.items() if i == index), None)
        if competency_id is None:
            pivots.append("0")
        else:
            pivots.append("COALESCE(MAX(CASE WHEN a.competency_id = %s THEN a.attainment END), 0)")
            params.append(competency_id)
    where, where_params = "s.major_id = %s", [major_id]
    if student_ids is not None:
        where += f" AND s.id IN ({', '.join(['%s'] * len(student_ids))})"
        where_params += student_ids
    if above_id is not None:
        where += " AND s.id > %s"
        where_params.append(above_id)
    with connection.cursor() as cursor:
        delete = f"DELETE FROM {_q(CandidateVector)} WHERE major_id = %s"
        delete_params: list = [major_id]
        if student_ids is not None:
            delete += f" AND student_id IN ({', '.join(['%s'] * len(student_ids))})"
            delete_params += student_ids
        if above_id is not None:
            delete += " AND student_id > %s"
            delete_params.append(above_id)
        cursor.execute(delete, delete_params)
        cursor.execute(
            f"INSERT INTO {_q(CandidateVector)} (student_id, major_id, intake_year, student_number, visibility, "
            f"{columns}) SELECT s.id, s.major_id, s.intake_year, s.student_number, "
            f"COALESCE(MAX(cp.visibility), 'hidden'), {', '.join(pivots)} "
            f"FROM {_q(StudentProfile)} s LEFT JOIN {_q(CompetencyAttainment)} a ON a.student_id = s.id "
            f"LEFT JOIN {_q(CareerProfile)} cp ON cp.student_id = s.id "
            f"WHERE {where} GROUP BY s.id, s.major_id, s.intake_year, s.student_number",
            params + where_params)


def _marker(major_id: int) -> str:
    """What the vectors are built from: the students, their radar and their visibility."""
    row = (StudentProfile.objects.filter(major_id=major_id)
           .aggregate(n=Count("id"), newest=Max("radar__computed_at"), profiles=Count("career_profile"),
                      edited=Max("career_profile__updated_at")))
    stamps = [row["newest"].isoformat() if row["newest"] else "", row["edited"].isoformat() if row["edited"] else ""]
    return f"{row['n']}|{row['profiles']}|{'|'.join(stamps)}"


EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _locked_state(major_id: int) -> CandidateVectorState:
    """The major's state row, locked for this transaction: concurrent readers that find
    the vectors stale wait here instead of writing the same rows twice."""
    CandidateVectorState.objects.get_or_create(major_id=major_id, defaults={
        "built_at": EPOCH, "checked_at": EPOCH, "max_student_id": 0, "source_marker": ""})
    return CandidateVectorState.objects.select_for_update().get(pk=major_id)


@transaction.atomic
def vectors_rebuild(*, major_id: int, unless_built_after: datetime.datetime | None = None) -> CandidateVectorState:
    state = _locked_state(major_id)
    if unless_built_after is not None and state.built_at >= unless_built_after:
        return state  # another request rebuilt it while this one waited
    axes = axes_by_major([major_id]).get(major_id, {})
    now = timezone.now()
    newest_id = StudentProfile.objects.aggregate(m=Max("id"))["m"] or 0
    _write(major_id, axes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner needs the new row counts
            cursor.execute(f"ANALYZE {_q(CandidateVector)}")
    state.built_at = state.checked_at = now
    state.max_student_id, state.source_marker = newest_id, _marker(major_id)
    state.save()
    return state


@transaction.atomic
def _add_new_students(major_id: int, newest_id: int) -> None:
    state = _locked_state(major_id)
    if newest_id > state.max_student_id:
        _write(major_id, axes_by_major([major_id]).get(major_id, {}), above_id=state.max_student_id)
        state.max_student_id = newest_id
        state.save(update_fields=["max_student_id"])


def vectors_ensure(*, major_ids: Iterable[int]) -> None:
    """Make the vectors of these majors current before a ranking reads them (two small
    queries when nothing changed)."""
    major_ids = list(major_ids)
    started = timezone.now()
    states = CandidateVectorState.objects.in_bulk(major_ids)
    newest_id = StudentProfile.objects.aggregate(m=Max("id"))["m"] or 0
    for major_id in major_ids:
        state = states.get(major_id)
        if state is None or state.built_at == EPOCH:
            vectors_rebuild(major_id=major_id, unless_built_after=started)
            continue
        if started - state.checked_at > CHECK_EVERY:
            if _marker(major_id) != state.source_marker:
                vectors_rebuild(major_id=major_id, unless_built_after=started)
                continue
            CandidateVectorState.objects.filter(pk=major_id).update(checked_at=started)
        if newest_id > state.max_student_id:
            _add_new_students(major_id, newest_id)


@transaction.atomic
def vectors_refresh_students(*, student_ids: Iterable[int]) -> None:
    """Rewrite the vectors of some students (after their grades changed)."""
    by_major: dict[int, list[int]] = {}
    for sid, major_id in StudentProfile.objects.filter(pk__in=list(student_ids)).values_list("pk", "major_id"):
        by_major.setdefault(major_id, []).append(sid)
    built = set(CandidateVectorState.objects.filter(pk__in=list(by_major)).values_list("pk", flat=True))
    axes = axes_by_major(by_major)
    for major_id, ids in by_major.items():
        if major_id in built:  # an unbuilt major is built whole on its first read
            _locked_state(major_id)
            for start in range(0, len(ids), 1000):
                _write(major_id, axes.get(major_id, {}), student_ids=ids[start:start + 1000])


def on_grades_changed(sender, *, user_ids, **kwargs) -> None:
    student_ids = list(StudentProfile.objects.filter(user_id__in=list(user_ids)).values_list("pk", flat=True))
    if student_ids:
        vectors_refresh_students(student_ids=student_ids)



def vector_visibility_set(*, student_id: int, visibility: str) -> None:
    """Called by the career-profile service when a student changes who may find them."""
    CandidateVector.objects.filter(student_id=student_id).update(visibility=visibility)
