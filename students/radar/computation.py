"""The radar formula, vectorised (pandas), for one student, a cohort or the whole school.

For student s of a program and competency k of its major (docs/radar.md):

    attainment_sk = Σ earned_sk / Σ possible_sk

summed over the attainment SOURCES. The one source today is the curriculum:
earned = Σ_{graded c} w_c · a_ck · g_sc and possible = Σ_{all c in program} w_c · a_ck · 100,
with w_c the course's credits in the program, a_ck its weight towards k and g_sc the
student's best final grade in c. A competency with nothing possible, or a student with
no grades, gives 0 — never a division error.

The second source is practice (`practice_source`, issue 13): evidence from evaluation
results that higher apps hand over through `students.services.practice_evidence_replace`.
Each source is a function in `SOURCES` returning (student_id, competency_id, earned,
possible) rows for the scope: the bulk recompute, the one-student recompute, the term
snapshots and the history all go through `attainment_frame`, so they all pick it up.
The one-student recompute after a grade change computes the curriculum in SQL
(`curriculum_attainment_sql`, ten times cheaper for one student) only while the
curriculum is the only source; with a second one it takes the general path.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.db import connection

from platform_site.lazy import lazy_module
from teachers.models import Competency, CourseCompetencyWeight, CourseOffering, Enrolment, Program, ProgramCourse, Term

from ..profiles.models import StudentProfile
from .geometry import radar_areas

np = lazy_module("numpy")
pd = lazy_module("pandas")

ATTAINMENT_COLUMNS = ["student_id", "competency_id", "earned", "possible"]


def table_name(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def read_frame(sql: str, params: Sequence, columns: list[str]) -> pd.DataFrame:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not params:
            # COPY streams hundreds of thousands of rows far faster than fetchall().
            buffer = io.StringIO()
            cursor.cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", buffer)
            buffer.seek(0)
            if not buffer.getvalue():
                return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
            return pd.read_csv(buffer, header=None, names=columns)
        cursor.execute(sql, params)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


@dataclass
class Scope:
    """The students of one computation and what the formula needs about them.

    `until` limits the evidence to what was known at the end of a term (start_year,
    number): the term snapshots and the history use it; None means everything so far."""

    students: pd.DataFrame       # student_id, user_id, major_id, intake_year
    programs: pd.DataFrame       # program_id, major_id, intake_year
    competencies: pd.DataFrame   # competency_id, major_id, position (display order within the major)
    all_students: bool = False
    until: tuple[int, int] | None = None
    _cache: dict = field(default_factory=dict)

    @property
    def student_ids(self) -> list[int]:
        return self.students["student_id"].astype(int).tolist()

    @property
    def weights(self) -> pd.DataFrame:
        """program_id, course_id, competency_id, credits, cw = w_c · a_ck."""
        if "weights" not in self._cache:
            rows = list(CourseCompetencyWeight.objects.filter(
                program_course__program_id__in=self.programs["program_id"].tolist()).values_list(
                "program_course__program_id", "program_course__course_id", "competency_id",
                "program_course__credits", "weight"))
            frame = pd.DataFrame.from_records(
                rows, columns=["program_id", "course_id", "competency_id", "credits", "weight"])
            frame["cw"] = frame["credits"].astype(float) * frame["weight"].astype(float)
            self._cache["weights"] = frame[["program_id", "course_id", "competency_id", "cw"]]
        return self._cache["weights"]

    @property
    def grades(self) -> pd.DataFrame:
        """user_id, course_id, score, term_key: the final grades known at the scope's
        `until` (retakes collapse to the best in the sources)."""
        if "grades" not in self._cache:
            self._cache["grades"] = _grades_frame(None if self.all_students else self.students["user_id"].tolist())
        grades = self._cache["grades"]
        if self.until is None or grades.empty:
            return grades
        return grades[grades["term_key"].astype(int) <= self.until[0] * 10 + self.until[1]]

    def until_term(self, until: tuple[int, int] | None) -> Scope:
        """The same students with the evidence known at the end of term (start_year, number);
        what was read from the database is shared, not read again."""
        return replace(self, until=until)


def scope_load(student_ids: Iterable[int] | None = None, *, until: tuple[int, int] | None = None) -> Scope | None:
    """The scope for these StudentProfile ids (every student when None); None when empty."""
    qs = StudentProfile.objects.all()
    if student_ids is not None:
        qs = qs.filter(pk__in=list(student_ids))
    students = pd.DataFrame.from_records(
        list(qs.values_list("pk", "user_id", "major_id", "intake_year", "school_class_id")),
        columns=["student_id", "user_id", "major_id", "intake_year", "school_class_id"])
    if students.empty:
        return None
    major_ids = students["major_id"].unique().tolist()
    programs = pd.DataFrame.from_records(
        list(Program.objects.filter(major_id__in=major_ids).values_list("pk", "major_id", "intake_year")),
        columns=["program_id", "major_id", "intake_year"])
    rows = list(Competency.objects.filter(major_id__in=major_ids).order_by("major_id", "order", "code")
                .values_list("pk", "major_id"))
    competencies = pd.DataFrame.from_records(rows, columns=["competency_id", "major_id"])
    competencies["position"] = competencies.groupby("major_id").cumcount()
    return Scope(students=students, programs=programs, competencies=competencies,
                 all_students=student_ids is None, until=until)


def _grades_frame(user_ids: Sequence[int] | None) -> pd.DataFrame:
    """user_id, course_id, score, term_key (start_year · 10 + number) of every final grade."""
    e, o, t = table_name(Enrolment), table_name(CourseOffering), table_name(Term)
    columns = ["user_id", "course_id", "score", "term_key"]
    sql = (f"SELECT e.student_id, o.course_id, CAST(e.score AS DOUBLE PRECISION), t.start_year * 10 + t.number "
           f"FROM {e} e JOIN {o} o ON o.id = e.offering_id JOIN {t} t ON t.id = o.term_id "
           f"WHERE e.score IS NOT NULL")
    params: list = []
    if user_ids is not None:
        if not user_ids:
            return pd.DataFrame(columns=columns)
        sql += f" AND e.student_id IN ({', '.join(['%s'] * len(user_ids))})"
        params = list(user_ids)
    return read_frame(sql, params, columns)


def _with_program(scope: Scope) -> pd.DataFrame:
    return scope.students.merge(scope.programs, on=["major_id", "intake_year"], how="left")


# --- the sources of evidence ---------------------------------------------------

def curriculum_source(scope: Scope) -> pd.DataFrame:
    """Course grades: earned Σ w_c·a_ck·g_sc over graded courses, possible Σ w_c·a_ck·100
    over every course of the student's program."""
    s = _with_program(scope)[["student_id", "user_id", "program_id"]]
    weights = scope.weights
    possible = weights.groupby(["program_id", "competency_id"], as_index=False)["cw"].sum()
    possible["possible"] = possible["cw"] * 100.0
    possible = s.merge(possible[["program_id", "competency_id", "possible"]], on="program_id")
    best = scope.grades.groupby(["user_id", "course_id"], as_index=False)["score"].max()
    contributions = best.merge(s, on="user_id").merge(weights, on=["program_id", "course_id"])
    contributions["earned"] = contributions["cw"] * contributions["score"].astype(float)
    earned = contributions.groupby(["student_id", "competency_id"], as_index=False)["earned"].sum()
    out = possible[["student_id", "competency_id", "possible"]].merge(
        earned, on=["student_id", "competency_id"], how="outer")
    return out.fillna(0.0)[ATTAINMENT_COLUMNS]


def practice_source(scope: Scope) -> pd.DataFrame:
    """Practice (issue 13): the evidence higher apps handed over (PracticeEvidence), earned
    credit·weight·score and possible credit·weight·100 per source record, up to the
    scope's `until` term. The rows are read as they are: `attainment_frame` sums every
    source per student and competency anyway, and a GROUP BY in the database first
    (student, competency, term) more than doubled the read (docs/benchmarks.md)."""
    from .models import PracticeEvidence

    if "practice" not in scope._cache:
        sql = f"SELECT student_id, competency_id, term_key, earned, possible FROM {table_name(PracticeEvidence)}"
        params: list = []
        if not scope.all_students:
            sql += f" WHERE student_id IN ({', '.join(['%s'] * len(scope.student_ids))})"
            params = scope.student_ids
        scope._cache["practice"] = read_frame(sql, params, ["student_id", "competency_id", "term_key", "earned",
                                                            "possible"])
    frame = scope._cache["practice"]
    if scope.until is not None and not frame.empty:
        frame = frame[frame["term_key"].astype(int) <= scope.until[0] * 10 + scope.until[1]]
    return frame[ATTAINMENT_COLUMNS]


SOURCES: list[Callable[[Scope], pd.DataFrame]] = [curriculum_source, practice_source]


def curriculum_attainment_sql(profile: StudentProfile) -> tuple[list[tuple[int, float, float]], float]:
    """`curriculum_source` for one student, aggregated in the database: [(competency_id,
    possible, earned)] over the major's competencies, and the credits completed. The
    one-student recompute uses it while the curriculum is the only source."""
    e, o, pc, w, c, p = (table_name(m) for m in (Enrolment, CourseOffering, ProgramCourse, CourseCompetencyWeight,
                                                  Competency, Program))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH program AS (SELECT id FROM {p} WHERE major_id = %s AND intake_year = %s),
            best AS (
                SELECT o.course_id, MAX(CAST(e.score AS DOUBLE PRECISION)) AS score
                FROM {e} e JOIN {o} o ON o.id = e.offering_id
                WHERE e.student_id = %s AND e.score IS NOT NULL GROUP BY o.course_id),
            pcw AS (
                SELECT w.competency_id, pc.course_id,
                       CAST(pc.credits AS DOUBLE PRECISION) * CAST(w.weight AS DOUBLE PRECISION) AS cw
                FROM {w} w JOIN {pc} pc ON pc.id = w.program_course_id
                WHERE pc.program_id IN (SELECT id FROM program))
            SELECT c.id, COALESCE(SUM(pcw.cw), 0) * 100, COALESCE(SUM(pcw.cw * best.score), 0),
                   (SELECT COALESCE(SUM(CAST(pc.credits AS DOUBLE PRECISION)), 0) FROM {pc} pc
                    JOIN best ON best.course_id = pc.course_id WHERE pc.program_id IN (SELECT id FROM program))
            FROM {c} c
            LEFT JOIN pcw ON pcw.competency_id = c.id
            LEFT JOIN best ON best.course_id = pcw.course_id
            WHERE c.major_id = %s
            GROUP BY c.id, c."order", c.code
            ORDER BY c."order", c.code
            """,
            [profile.major_id, profile.intake_year, profile.user_id, profile.major_id],
        )
        fetched = cursor.fetchall()
    credits = float(fetched[0][3]) if fetched else 0.0
    return [(cid, float(possible), float(earned)) for cid, possible, earned, _credits in fetched], credits


def practice_sums_sql(profile: StudentProfile) -> dict[int, tuple[float, float]]:
    """`practice_source` for one student, summed in the database: {competency_id: (earned,
    possible)} over all their practice evidence (the current radar: no term limit)."""
    from .models import PracticeEvidence

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT competency_id, SUM(earned), SUM(possible) FROM {table_name(PracticeEvidence)} "
                       f"WHERE student_id = %s GROUP BY competency_id", [profile.pk])
        return {cid: (float(earned or 0.0), float(possible or 0.0)) for cid, earned, possible in cursor.fetchall()}


def attainment_frame(scope: Scope) -> pd.DataFrame:
    """One row per (student, competency of their major): student_id, competency_id,
    earned, possible, attainment (0..1), summed over every source."""
    grid = scope.students[["student_id", "major_id"]].merge(scope.competencies[["competency_id", "major_id"]],
                                                              on="major_id")
    evidence = [source(scope) for source in SOURCES]
    evidence = [frame for frame in evidence if not frame.empty]
    if evidence:
        totals = pd.concat(evidence).groupby(["student_id", "competency_id"], as_index=False)[
            ["earned", "possible"]].sum()
        out = grid.merge(totals, on=["student_id", "competency_id"], how="left")
    else:
        out = grid.assign(earned=0.0, possible=0.0)
    out["earned"] = out["earned"].fillna(0.0).astype(float)
    out["possible"] = out["possible"].fillna(0.0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(out["possible"].to_numpy() > 0, out["earned"].to_numpy() / out["possible"].to_numpy(), 0.0)
    out["attainment"] = np.clip(ratio, 0.0, 1.0)
    return out[[*ATTAINMENT_COLUMNS, "attainment"]]


def areas_frame(frame: pd.DataFrame, competencies: pd.DataFrame) -> pd.Series:
    """Radar area per student, with each major's axes in their display order."""
    ordered = frame.merge(competencies[["competency_id", "major_id", "position"]], on="competency_id")
    areas = []
    for _major_id, group in ordered.groupby("major_id"):
        matrix = group.pivot(index="student_id", columns="position", values="attainment").sort_index(axis=1)
        areas.append(pd.Series(radar_areas(matrix.to_numpy(dtype=float)), index=matrix.index))
    return pd.concat(areas) if areas else pd.Series(dtype=float)


def credits_completed(scope: Scope) -> pd.Series:
    """Credits of the program's courses the student has a grade in, per student."""
    rows = list(ProgramCourse.objects.filter(program_id__in=scope.programs["program_id"].tolist())
                .values_list("program_id", "course_id", "credits"))
    pc = pd.DataFrame.from_records(rows, columns=["program_id", "course_id", "credits"])
    pc["credits"] = pc["credits"].astype(float)
    s = _with_program(scope)[["student_id", "user_id", "program_id"]]
    done = (scope.grades[["user_id", "course_id"]].drop_duplicates().merge(s, on="user_id")
            .merge(pc, on=["program_id", "course_id"]))
    return done.groupby("student_id")["credits"].sum()
