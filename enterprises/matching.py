"""Explainable matching between a student's radar and a posting's requirements.

For student s and posting p, with a_k the stored attainment (students' radar), r_k
the minimum and v_k > 0 the importance of each required competency k:

    shortfall_k = max(0, r_k − a_k)
    fit = 1 − Σ v_k·shortfall_k / Σ v_k·r_k        (fit = 1 when Σ v_k·r_k = 0)

Since r_k − shortfall_k = min(r_k, a_k), fit = Σ v_k·min(r_k, a_k) / Σ v_k·r_k: a sum
over the attainment rows that exist (a missing row is attainment 0). The candidate
list computes exactly that in one aggregate query over the attainment table, and
the per-student explanation reads the same numbers through
`students.selectors.attainments_for_students` (the radar API's numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction

from accounts.navigation import project_app_attribute
from students.models import CompetencyAttainment, PointBalance, StudentProfile
from students.selectors import attainments_for_students
from teachers.models import Competency, CourseCompetencyWeight, Enrolment

from .models import VECTOR_AXES, Application, CandidateVector, Posting, PostingRequirement, Visibility


@dataclass(frozen=True)
class Requirement:
    competency_id: int
    code: str
    name: str
    minimum: float
    importance: float


@dataclass
class Gap:
    code: str
    name: str
    required: float
    importance: float
    attainment: float
    competency_id: int = 0
    closers: list[dict] = field(default_factory=list)

    @property
    def shortfall(self) -> float:
        return max(0.0, self.required - self.attainment)

    def as_api(self) -> dict:
        return {"code": self.code, "required": round(self.required, 6), "importance": round(self.importance, 6),
                "attainment": round(self.attainment, 6)}


@dataclass
class Match:
    fit: float
    gaps: list[Gap]  # one per requirement, in the requirement order

    @property
    def shortfalls(self) -> list[Gap]:
        return [g for g in self.gaps if g.shortfall > 0]


def fit_score(requirements: Sequence[tuple[float, float]], attainments: Sequence[float]) -> float:
    """The formula on plain numbers: requirements [(r_k, v_k)], attainments [a_k]."""
    total = sum(v * r for r, v in requirements)
    if total <= 0:
        return 1.0
    shortfall = sum(v * max(0.0, r - a) for (r, v), a in zip(requirements, attainments, strict=True))
    return 1.0 - shortfall / total


def requirements_of(posting: Posting) -> list[Requirement]:
    """The posting's requirements in the radar's axis order (prefetch
    `requirements__competency` to read a page of postings without a query each)."""
    rows = sorted(posting.requirements.all(), key=lambda r: (r.competency.order, r.competency.code))
    return [Requirement(r.competency_id, r.competency.code, r.competency.display_name, r.minimum, r.importance)
            for r in rows]


def match(requirements: Sequence[Requirement], attainment: dict[int, float]) -> Match:
    gaps = [Gap(r.code, r.name, r.minimum, r.importance, float(attainment.get(r.competency_id, 0.0)), r.competency_id)
            for r in requirements]
    return Match(fit_score([(g.required, g.importance) for g in gaps], [g.attainment for g in gaps]), gaps)


def matches_for_student(student: StudentProfile, postings: Sequence[Posting]) -> dict[int, Match]:
    """Fit and gaps of one student on a page of postings (requirements prefetched): one query."""
    attainment = attainments_for_students(student_ids=[student.pk]).get(student.pk, {})
    return {p.pk: match(requirements_of(p), attainment) for p in postings}


def matches_for_posting(posting: Posting, student_ids: Sequence[int]) -> dict[int, Match]:
    """Fit and gaps of a page of students on one posting: one query."""
    requirements = requirements_of(posting)
    attainments = attainments_for_students(student_ids=student_ids)
    return {sid: match(requirements, attainments.get(sid, {})) for sid in student_ids}


# --- the candidate list, ranked in the database ---------------------------------

def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass
class CandidateRow:
    student_id: int
    student_number: str
    fit: float
    points: int


@dataclass
class CandidateFilters:
    major_ids: list[int] | None = None
    intake_year: int | None = None
    competency_id: int | None = None       # with min_attainment: at least this much of one competency
    min_attainment: float | None = None
    student_ids: list[int] | None = None   # restrict to these (e.g. a tier, from the rank table)


def _visibility_sql(*, organization_id: int | None, partner: bool) -> tuple[str, list]:
    """Which students an organisation may find: resumes visible to every enterprise, to
    partners when it is one, and its own applicants. None: everyone (school staff)."""
    if organization_id is None:
        return "", []
    visible = [Visibility.ENTERPRISES.value] + ([Visibility.PARTNERS.value] if partner else [])
    placeholders = ", ".join(["%s"] * len(visible))
    sql = (f" AND (v.visibility IN ({placeholders})"
           f" OR v.student_id IN (SELECT ap.student_id FROM {_table(Application)} ap JOIN {_table(Posting)} po"
           f" ON po.id = ap.posting_id WHERE po.organization_id = %s))")
    return sql, [*visible, organization_id]


def _min(value: str, minimum: str) -> str:
    return f"CASE WHEN {value} < {minimum} THEN {value} ELSE {minimum} END"


def candidate_page(*, posting: Posting, organization_id: int | None, partner: bool = False,
                   filters: CandidateFilters | None = None, offset: int = 0, limit: int = 20
                   ) -> tuple[int, list[CandidateRow]]:
    """(total, rows) of the students who may be found for this posting, best fit first,
    then the larger points balance, then the student number: one count and one ranked
    query over the candidate vectors (one row per student, enterprises.vectors), the
    gain Σ v·min(r, a) computed per row from the posting's requirements."""
    from .vectors import axes_by_major, vectors_ensure

    filters = filters or CandidateFilters()
    major_ids = filters.major_ids if filters.major_ids is not None else [m.pk for m in posting.majors.all()]
    if not major_ids:
        return 0, []
    axes = axes_by_major(major_ids)
    vectors_ensure(major_ids=major_ids)
    where = [f"v.major_id IN ({', '.join(['%s'] * len(major_ids))})"]
    params: list = list(major_ids)
    if filters.intake_year:
        where.append("v.intake_year = %s")
        params.append(filters.intake_year)
    if filters.student_ids is not None:
        if not filters.student_ids:
            return 0, []
        where.append(f"v.student_id IN ({', '.join(['%s'] * len(filters.student_ids))})")
        params.extend(filters.student_ids)
    if filters.competency_id and filters.min_attainment is not None:
        column = next((f"v.a{cols[filters.competency_id]}" for cols in axes.values()
                       if filters.competency_id in cols), None)
        if column is None:
            return 0, []
        where.append(f"{column} >= %s")
        params.append(filters.min_attainment)
    visibility, visibility_params = _visibility_sql(organization_id=organization_id, partner=partner)
    base = f"FROM {_table(CandidateVector)} v WHERE {' AND '.join(where)}{visibility}"
    base_params = params + visibility_params
    # Per major, Σ v·min(r, a_column) over the requirements on its competencies.
    branches, gain_params = [], []
    for major_id in major_ids:
        terms = []
        for r in requirements_of(posting):
            if axes.get(major_id, {}).get(r.competency_id, VECTOR_AXES) < VECTOR_AXES:
                terms.append(f"%s * {_min(f'v.a{axes[major_id][r.competency_id]}', '%s')}")
                gain_params += [r.importance, r.minimum, r.minimum]
        if terms:
            branches.append(f"WHEN v.major_id = %s THEN {' + '.join(terms)}")
            gain_params.insert(len(gain_params) - 3 * len(terms), major_id)
    if posting.weight_total <= 0:
        fit, fit_params = "1.0", []
    elif branches:
        fit, fit_params = f"(CASE {' '.join(branches)} ELSE 0 END) / %s", [*gain_params, posting.weight_total]
    else:
        fit, fit_params = "0.0", []
    # One pass computes every fit (the CTE is materialised); the boundary is the fit of
    # the page's last row; only rows at or above it are joined to their points balance,
    # which breaks ties (one index lookup each). The count reads the materialised fits.
    end = offset + limit
    sql = (
        f"WITH f AS (SELECT v.student_id, v.student_number, {fit} AS fit {base}), "
        f"b AS (SELECT fit FROM f ORDER BY fit DESC LIMIT 1 OFFSET %s) "
        f"SELECT f.student_id, f.student_number, f.fit, "
        f"COALESCE((SELECT pb.total FROM {_table(PointBalance)} pb WHERE pb.student_id = f.student_id), 0) AS points, "
        f"(SELECT COUNT(*) FROM f) AS total "
        f"FROM f WHERE f.fit >= COALESCE((SELECT fit FROM b), -1) "
        f"ORDER BY f.fit DESC, points DESC, f.student_number LIMIT %s OFFSET %s")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner prices the points look-ups as if a third of the major passed the
            # boundary, which lifts the estimate over jit_above_cost: compiling the fit
            # expressions then took about half of the query (≈ 45 of 100 ms at 25,000 rows),
            # for a query that runs well under a second. Off for this transaction only.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, [*fit_params, *base_params, end - 1, limit, offset])
        fetched = cursor.fetchall()
        if fetched:
            total = fetched[0][4]
        else:  # past the last page (or nobody): count on its own
            cursor.execute(f"SELECT COUNT(*) {base}", base_params)
            total = cursor.fetchone()[0]
        rows = [CandidateRow(sid, number, min(1.0, max(0.0, float(f))), int(points))
                for sid, number, f, points, _total in fetched]
    return total, rows


# --- a student's best postings -------------------------------------------------------

def best_postings_for_student(*, student: StudentProfile, posting_ids: Sequence[int] | None = None,
                              limit: int = 20) -> list[tuple[int, float]]:
    """[(posting id, fit)] of the open postings for the student's major, best first (then
    the nearest deadline), in one aggregate query over the postings' requirements."""
    from django.utils import timezone

    params: list = [student.pk]
    restrict = ""
    if posting_ids is not None:
        if not posting_ids:
            return []
        restrict = f" AND p.id IN ({', '.join(['%s'] * len(posting_ids))})"
    majors = Posting.majors.through._meta.db_table
    sql = (
        f"SELECT p.id, CASE WHEN p.weight_total <= 0 THEN 1.0 ELSE COALESCE(g.gain, 0) / p.weight_total END AS fit "
        f"FROM {_table(Posting)} p "
        f"LEFT JOIN (SELECT q.posting_id, SUM(q.importance * CASE WHEN a.attainment < q.minimum "
        f"THEN a.attainment ELSE q.minimum END) AS gain FROM {_table(PostingRequirement)} q "
        f"JOIN {_table(CompetencyAttainment)} a ON a.competency_id = q.competency_id AND a.student_id = %s "
        f"GROUP BY q.posting_id) g ON g.posting_id = p.id "
        f"WHERE p.status = %s AND p.deadline >= %s "
        f"AND p.id IN (SELECT pm.posting_id FROM {connection.ops.quote_name(majors)} pm WHERE pm.major_id = %s)"
        f"{restrict} ORDER BY fit DESC, p.deadline, p.id LIMIT %s"
    )
    params += [Posting.Status.PUBLISHED, timezone.localdate(), student.major_id, *(posting_ids or []), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pid, min(1.0, max(0.0, float(f)))) for pid, f in cursor.fetchall()]


# --- what would close a gap ------------------------------------------------------------

def gap_closers(*, student: StudentProfile, gaps: Sequence[Gap]) -> None:
    """Fill each gap's `closers`: the courses of the student's program that build the
    competency, the ones not yet completed first, then what higher apps contribute
    (`GAP_CLOSERS` in `<app>/panels.py`: function(student, competency_ids) ->
    {competency_id: [{"label", "url", "kind"}]}), e.g. projects and studios."""
    open_gaps = [g for g in gaps if g.shortfall > 0]
    if not open_gaps:
        return
    ids = [g.competency_id for g in open_gaps]
    completed = set(Enrolment.objects.filter(student_id=student.user_id, score__isnull=False)
                    .values_list("offering__course_id", flat=True))
    by_competency: dict[int, list[dict]] = {}
    weights = (CourseCompetencyWeight.objects
               .filter(competency_id__in=ids, weight__gt=0, program_course__program__major_id=student.major_id,
                       program_course__program__intake_year=student.intake_year)
               .select_related("program_course__course").order_by("-weight", "program_course__semester"))
    for weight in weights:
        course = weight.program_course.course
        by_competency.setdefault(weight.competency_id, []).append({
            "kind": "course", "label": course.display_name, "code": course.code,
            "semester": weight.program_course.semester, "completed": course.pk in completed, "url": "",
        })
    for contribute in project_app_attribute("panels", "GAP_CLOSERS"):
        for competency_id, items in (contribute(student, ids) or {}).items():
            by_competency.setdefault(competency_id, []).extend(items)
    for gap in open_gaps:
        items = by_competency.get(gap.competency_id, [])
        gap.closers = sorted(items, key=lambda item: item.get("completed", False))[:5]


def radar_overlay(*, student: StudentProfile, requirements: Sequence[Requirement],
                  attainment: dict[int, float] | None = None) -> dict:
    """Chart data: the student's radar (every axis of the major) over the requirement polygon."""
    axes = list(Competency.objects.filter(major_id=student.major_id).order_by("order", "code"))
    if attainment is None:
        attainment = attainments_for_students(student_ids=[student.pk]).get(student.pk, {})
    required = {r.competency_id: r.minimum for r in requirements}
    return {
        "labels": [c.display_name for c in axes],
        "student": [round(float(attainment.get(c.pk, 0.0)), 4) for c in axes],
        "required": [round(required.get(c.pk, 0.0), 4) for c in axes],
    }
