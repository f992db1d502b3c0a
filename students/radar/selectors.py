"""Reads of the radar: a student's stored radar beside their cohort, bulk reads for
other apps, the explanation of each attainment, the history term by term and a
class's summary. Writes are in services.py; the formula in computation.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Sum

from platform_site.lazy import lazy_module
from teachers.models import Competency, CourseCompetencyWeight, Enrolment, Program, Term

from ..profiles.models import StudentProfile
from .geometry import max_radar_area, radar_area
from .models import CohortAttainmentSum, CompetencyAttainment, StudentRadar, TermAttainment
from .practice import practice_rows_for_student

np = lazy_module("numpy")
pd = lazy_module("pandas")


@dataclass
class AxisValue:
    code: str
    name: str
    attainment: float
    competency_id: int = 0


@dataclass
class Radar:
    student: StudentProfile
    axes: list[AxisValue]
    area: float
    max_area: float
    cohort_average: list[AxisValue]
    credits_completed: float = 0.0
    computed_at: object = None

    @property
    def values(self) -> list[float]:
        return [a.attainment for a in self.axes]

    @property
    def cohort_values(self) -> list[float]:
        return [a.attainment for a in self.cohort_average]

    @property
    def rows(self) -> list[tuple[AxisValue, AxisValue]]:
        return list(zip(self.axes, self.cohort_average, strict=False))


def _axes(major_id: int) -> list[Competency]:
    return list(Competency.objects.filter(major_id=major_id).order_by("order", "code"))


def attainments_for_students(*, student_ids: Iterable[int]) -> dict[int, dict[int, float]]:
    """Bulk read for other apps: {student_profile_id: {competency_id: attainment}} in one query."""
    out: dict[int, dict[int, float]] = {}
    for sid, cid, value in CompetencyAttainment.objects.filter(student_id__in=list(student_ids)).values_list(
        "student_id", "competency_id", "attainment"
    ):
        out.setdefault(sid, {})[cid] = value
    return out


COHORT_CACHE_SECONDS = 60


def _cohort_cache_key(major_id: int, intake_year: int | None) -> str:
    return f"radar:cohort-average:v1:{major_id}:{intake_year}"


def cohort_average(*, major_id: int, intake_year: int | None = None) -> dict[int, float]:
    """{competency_id: mean attainment} over a cohort (major × intake year), in one
    aggregate query, cached for a minute and dropped whenever a radar of the cohort is
    recomputed (one grade moves a cohort's mean very little; thousands of reads a
    minute should not each scan the cohort)."""
    key = _cohort_cache_key(major_id, intake_year)
    cached = cache.get(key)
    if cached is not None:
        return {int(k): v for k, v in cached.items()}
    # From the stored per-cohort sums (kept in step with the attainments): a handful of rows.
    qs = CohortAttainmentSum.objects.filter(major_id=major_id, students__gt=0)
    if intake_year is not None:
        qs = qs.filter(intake_year=intake_year)
    value = {row["competency_id"]: row["total"] / row["n"]
             for row in qs.order_by().values("competency_id").annotate(total=Sum("total"), n=Sum("students"))}
    cache.set(key, value, COHORT_CACHE_SECONDS)
    return value


def cohort_average_invalidate(*, cohorts: Iterable[tuple[int, int]]) -> None:
    keys = []
    for major_id, intake_year in set(cohorts):
        keys += [_cohort_cache_key(major_id, intake_year), _cohort_cache_key(major_id, None)]
    cache.delete_many(keys)


def radar_for_student(*, student: StudentProfile) -> Radar:
    """The stored radar of one student beside their cohort's average (major × intake year)."""
    competencies = _axes(student.major_id)
    stored = dict(CompetencyAttainment.objects.filter(student=student).values_list("competency_id", "attainment"))
    if len(stored) < len(competencies):
        # Never computed (a new student, or a new competency): compute now, it is cheap.
        from .services import radar_recompute_student

        radar_recompute_student(student=student)
        stored = dict(CompetencyAttainment.objects.filter(student=student).values_list("competency_id", "attainment"))
    summary = StudentRadar.objects.filter(student=student).first()
    cohort = cohort_average(major_id=student.major_id, intake_year=student.intake_year)
    axes = [AxisValue(c.code, c.display_name, float(stored.get(c.pk, 0.0)), c.pk) for c in competencies]
    cohort_axes = [AxisValue(c.code, c.display_name, float(cohort.get(c.pk, 0.0)), c.pk) for c in competencies]
    return Radar(
        student=student, axes=axes, area=radar_area([a.attainment for a in axes]),
        max_area=max_radar_area(len(axes)), cohort_average=cohort_axes,
        credits_completed=summary.credits_completed if summary else 0.0,
        computed_at=summary.computed_at if summary else None,
    )


# --- explanation and history (one student, on demand) ------------------------------

@dataclass
class Contribution:
    course_code: str
    course_name: str
    semester: int
    credits: float
    weight: float
    score: float | None
    earned: float          # w_c · a_ck · g_sc
    possible: float        # w_c · a_ck · 100
    share: float           # earned / Σ possible: how much of the attainment this course gave
    practice: bool = False  # practice evidence (issue 13): course_name is its title, no semester


@dataclass
class CompetencyExplanation:
    code: str
    name: str
    attainment: float
    earned: float
    possible: float
    contributions: list[Contribution]


def _program_for(profile: StudentProfile) -> Program | None:
    return Program.objects.filter(major_id=profile.major_id, intake_year=profile.intake_year).first()


def _program_rows(program_id: int | None):
    if program_id is None:
        return []
    return list(
        CourseCompetencyWeight.objects.filter(program_course__program_id=program_id)
        .select_related("program_course__course")
        .order_by("program_course__semester", "program_course__course__code")
    )


def _best_scores(user_id: int) -> dict[int, tuple[float, int]]:
    """{course_id: (best score, term ordinal of that score's term)} for one student."""
    best: dict[int, tuple[float, int]] = {}
    for course_id, score, year, number in Enrolment.objects.filter(student_id=user_id, score__isnull=False).values_list(
        "offering__course_id", "score", "offering__term__start_year", "offering__term__number"
    ):
        ordinal = year * 2 + number
        value = float(score)
        if course_id not in best or value > best[course_id][0]:
            best[course_id] = (value, ordinal)
    return best


def radar_explanation(*, student: StudentProfile) -> list[CompetencyExplanation]:
    """For each competency, every program course weighted towards it: credits, weight,
    grade, and how much it contributed (three queries)."""
    program = _program_for(student)
    weights = _program_rows(program.pk if program else None)
    best = _best_scores(student.user_id)
    practice = practice_rows_for_student(student.pk)
    by_comp: dict[int, list[CourseCompetencyWeight]] = {}
    for w in weights:
        by_comp.setdefault(w.competency_id, []).append(w)
    out = []
    for comp in _axes(student.major_id):
        rows = by_comp.get(comp.pk, [])
        possible_total = sum(float(w.program_course.credits) * float(w.weight) * 100 for w in rows)
        possible_total += sum(e.possible for e in practice.get(comp.pk, ()))
        contributions = []
        earned_total = 0.0
        for w in rows:
            cw = float(w.program_course.credits) * float(w.weight)
            if cw == 0:
                continue
            score = best.get(w.program_course.course_id, (None, 0))[0]
            earned = cw * score if score is not None else 0.0
            earned_total += earned
            contributions.append(Contribution(
                course_code=w.program_course.course.code, course_name=w.program_course.course.display_name,
                semester=w.program_course.semester, credits=float(w.program_course.credits), weight=float(w.weight),
                score=score, earned=earned, possible=cw * 100,
                share=earned / possible_total if possible_total else 0.0,
            ))
        for e in practice.get(comp.pk, ()):
            earned_total += e.earned
            contributions.append(Contribution(
                course_code="", course_name=e.label, semester=0, credits=e.credits, weight=e.weight, score=e.score,
                earned=e.earned, possible=e.possible, share=e.earned / possible_total if possible_total else 0.0,
                practice=True,
            ))
        out.append(CompetencyExplanation(
            code=comp.code, name=comp.display_name,
            attainment=earned_total / possible_total if possible_total else 0.0,
            earned=earned_total, possible=possible_total, contributions=contributions,
        ))
    return out


@dataclass
class HistoryPoint:
    term_code: str
    label: str
    values: list[float]
    area: float
    frozen: bool = False  # from the snapshot taken when the term closed


def _term_key(term) -> tuple[int, int]:
    return (term.start_year, term.number)


def radar_history(*, student: StudentProfile) -> list[HistoryPoint]:
    """Attainment after each term the student has grades in (cumulative, so it grows).

    A closed term shows its snapshot (TermAttainment, frozen when the term closed, with
    the weights of that time): later changes of weights or programs do not rewrite it.
    A term not yet closed is computed now, with today's weights, by the same formula."""
    from .computation import attainment_frame, scope_load

    competencies = _axes(student.major_id)
    term_ids = set(Enrolment.objects.filter(student_id=student.user_id, score__isnull=False)
                   .values_list("offering__term_id", flat=True).distinct())
    terms = sorted(Term.objects.filter(pk__in=term_ids), key=_term_key)
    frozen: dict[int, dict[int, float]] = {}
    for term_id, competency_id, value in TermAttainment.objects.filter(student=student, term_id__in=term_ids) \
            .values_list("term_id", "competency_id", "attainment"):
        frozen.setdefault(term_id, {})[competency_id] = value
    scope = None
    points = []
    for term in terms:
        values_by_id = frozen.get(term.pk)
        if values_by_id is None:
            scope = scope or scope_load([student.pk])
            if scope is None:
                break
            frame = attainment_frame(scope.until_term(_term_key(term)))
            values_by_id = dict(zip(frame["competency_id"].astype(int), frame["attainment"].astype(float),
                                    strict=True))
        values = [float(values_by_id.get(c.pk, 0.0)) for c in competencies]
        points.append(HistoryPoint(term_code=term.code, label=str(term), values=values, area=radar_area(values),
                                   frozen=term.pk in frozen))
    return points


def growth_by_year(history: list[HistoryPoint]) -> list[HistoryPoint]:
    """One polygon per academic year: the attainment at the end of each year so far."""
    by_year: dict[str, HistoryPoint] = {}
    for point in history:
        by_year[point.term_code.rsplit("-", 1)[0]] = point
    return [HistoryPoint(term_code=p.term_code, label=year, values=p.values, area=p.area, frozen=p.frozen)
            for year, p in by_year.items()]


# --- a class --------------------------------------------------------------------------

@dataclass
class ClassAxisSummary:
    code: str
    name: str
    mean: float
    cohort: float
    minimum: float
    p25: float
    median: float
    p75: float
    maximum: float


@dataclass
class ClassStudentRow:
    student_number: str
    name: str
    area: float
    values: list[float]


@dataclass
class ClassRadarSummary:
    rows: list[ClassAxisSummary]
    students: list[ClassStudentRow]
    area: float
    max_area: float


def class_radar_summary(*, school_class) -> ClassRadarSummary:
    """Class average and distribution per competency (four queries, whatever the class size)."""
    competencies = _axes(school_class.major_id)
    records = list(
        CompetencyAttainment.objects.filter(student__school_class=school_class)
        .values_list("student_id", "competency_id", "attainment")
    )
    frame = pd.DataFrame.from_records(records, columns=["student_id", "competency_id", "attainment"])
    cohort = cohort_average(major_id=school_class.major_id, intake_year=school_class.intake_year)
    rows = []
    for comp in competencies:
        values = frame.loc[frame["competency_id"] == comp.pk, "attainment"].to_numpy(dtype=float)
        if len(values) == 0:
            values = np.zeros(1)
        q = np.quantile(values, [0, 0.25, 0.5, 0.75, 1.0])
        rows.append(ClassAxisSummary(comp.code, comp.display_name, float(values.mean()), float(cohort.get(comp.pk, 0.0)),
                                     *(float(x) for x in q)))
    students = []
    if not frame.empty:
        matrix = frame.pivot(index="student_id", columns="competency_id", values="attainment")
        matrix = matrix.reindex(columns=[c.pk for c in competencies]).fillna(0.0)
        profiles = {p.pk: p for p in StudentProfile.objects.filter(pk__in=list(matrix.index)).select_related("user")}
        for sid, values in zip(matrix.index, matrix.to_numpy(dtype=float), strict=False):
            profile = profiles.get(int(sid))
            if profile is None:
                continue
            students.append(ClassStudentRow(profile.student_number, profile.user.name_for_display,
                                            radar_area(values.tolist()), values.tolist()))
        students.sort(key=lambda r: (-r.area, r.student_number))
    return ClassRadarSummary(rows=rows, students=students, area=radar_area([r.mean for r in rows]),
                             max_area=max_radar_area(len(rows)))
