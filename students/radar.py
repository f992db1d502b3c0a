"""The radar chart of core competence: computation, storage and reads.

The formula (docs/radar.md, from ARCHITECTURE.md): for student s of a program and
competency k of its major,

    attainment_sk = Σ_{graded c} w_c · a_ck · g_sc  /  Σ_{all c in program} w_c · a_ck · 100

with w_c the course's credits in the program, a_ck its weight towards k and g_sc the
student's final grade (the best one when a course was retaken). A competency with no
weighted course in the program, or a student with no grades, gives 0 — never a
division error. Area for n axes: 1/2 · sin(2π/n) · Σ r_i · r_(i+1).

Stored attainment (students.CompetencyAttainment, students.StudentRadar) is written by
`radar_recompute` (one vectorised pandas pass for any set of students, e.g. a cohort
or the whole school) and `radar_recompute_student` (one student, aggregated in the
database, after a grade change). Other apps read it with `radar_for_student`,
`attainments_for_students` and `cohort_average`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Avg
from django.utils import timezone

from teachers.models import (
    Competency,
    CourseCompetencyWeight,
    CourseOffering,
    Enrolment,
    Program,
    ProgramCourse,
    Term,
)

from .models import CompetencyAttainment, StudentProfile, StudentRadar


def radar_area(values: Sequence[float]) -> float:
    """Area of the radar polygon with the given radii (0..1) on n equally spaced axes."""
    n = len(values)
    if n < 3:
        return 0.0
    r = np.asarray(values, dtype=float)
    return float(0.5 * math.sin(2 * math.pi / n) * np.sum(r * np.roll(r, -1)))


def max_radar_area(n: int) -> float:
    return radar_area([1.0] * n)


# --- the bulk pass -------------------------------------------------------------

def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _read_frame(sql: str, params: Sequence, columns: list[str]) -> pd.DataFrame:
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


def _students_frame(student_ids: Iterable[int] | None) -> pd.DataFrame:
    qs = StudentProfile.objects.all()
    if student_ids is not None:
        qs = qs.filter(pk__in=list(student_ids))
    rows = list(qs.values_list("pk", "user_id", "major_id", "intake_year"))
    return pd.DataFrame.from_records(rows, columns=["student_id", "user_id", "major_id", "intake_year"])


def _weights_frame(program_ids: Sequence[int]) -> pd.DataFrame:
    """program_id, course_id, competency_id, cw = w_c · a_ck."""
    rows = list(
        CourseCompetencyWeight.objects.filter(program_course__program_id__in=list(program_ids)).values_list(
            "program_course__program_id", "program_course__course_id", "competency_id",
            "program_course__credits", "weight",
        )
    )
    frame = pd.DataFrame.from_records(rows, columns=["program_id", "course_id", "competency_id", "credits", "weight"])
    frame["cw"] = frame["credits"].astype(float) * frame["weight"].astype(float)
    return frame[["program_id", "course_id", "competency_id", "cw"]]


def _grades_frame(user_ids: Sequence[int] | None) -> pd.DataFrame:
    """user_id, course_id, score: every final grade (retakes collapse to the best)."""
    e, o = _table(Enrolment), _table(CourseOffering)
    sql = (
        f"SELECT e.student_id, o.course_id, CAST(e.score AS DOUBLE PRECISION) "
        f"FROM {e} e JOIN {o} o ON o.id = e.offering_id WHERE e.score IS NOT NULL"
    )
    params: list = []
    if user_ids is not None:
        if not user_ids:
            return pd.DataFrame(columns=["user_id", "course_id", "score"])
        sql += f" AND e.student_id IN ({', '.join(['%s'] * len(user_ids))})"
        params = list(user_ids)
    return _read_frame(sql, params, ["user_id", "course_id", "score"])


def compute_attainment_frame(
    students: pd.DataFrame, programs: pd.DataFrame, competencies: pd.DataFrame,
    weights: pd.DataFrame, grades: pd.DataFrame,
) -> pd.DataFrame:
    """The formula, vectorised. Inputs:
    students(student_id, user_id, major_id, intake_year); programs(program_id, major_id, intake_year);
    competencies(competency_id, major_id); weights(program_id, course_id, competency_id, cw);
    grades(user_id, course_id, score). Returns one row per (student, competency of their major):
    student_id, competency_id, earned, possible, attainment."""
    s = students.merge(programs, on=["major_id", "intake_year"], how="left")
    grid = s[["student_id", "user_id", "major_id", "program_id"]].merge(competencies, on="major_id")
    possible = weights.groupby(["program_id", "competency_id"], as_index=False)["cw"].sum()
    possible["possible"] = possible["cw"] * 100.0
    best = grades.groupby(["user_id", "course_id"], as_index=False)["score"].max()
    contributions = (
        best.merge(s[["user_id", "student_id", "program_id"]], on="user_id")
        .merge(weights, on=["program_id", "course_id"])
    )
    contributions["earned"] = contributions["cw"] * contributions["score"]
    earned = contributions.groupby(["student_id", "competency_id"], as_index=False)["earned"].sum()
    out = grid.merge(possible[["program_id", "competency_id", "possible"]], on=["program_id", "competency_id"], how="left")
    out = out.merge(earned, on=["student_id", "competency_id"], how="left")
    out["earned"] = out["earned"].fillna(0.0)
    out["possible"] = out["possible"].fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(out["possible"].to_numpy() > 0, out["earned"].to_numpy() / out["possible"].to_numpy(), 0.0)
    out["attainment"] = np.clip(ratio, 0.0, 1.0)
    return out[["student_id", "competency_id", "earned", "possible", "attainment"]]


def _areas(frame: pd.DataFrame, competencies: pd.DataFrame) -> pd.Series:
    """Radar area per student, with each major's axes in their display order."""
    ordered = frame.merge(competencies[["competency_id", "major_id", "position"]], on="competency_id")
    areas = []
    for _major_id, group in ordered.groupby("major_id"):
        matrix = group.pivot(index="student_id", columns="position", values="attainment").sort_index(axis=1)
        r = matrix.to_numpy(dtype=float)
        n = r.shape[1]
        if n < 3:
            area = np.zeros(len(matrix))
        else:
            area = 0.5 * math.sin(2 * math.pi / n) * np.sum(r * np.roll(r, -1, axis=1), axis=1)
        areas.append(pd.Series(area, index=matrix.index))
    return pd.concat(areas) if areas else pd.Series(dtype=float)


def _competencies_frame(major_ids: Iterable[int]) -> pd.DataFrame:
    rows = list(Competency.objects.filter(major_id__in=list(major_ids)).order_by("major_id", "order", "code")
                .values_list("pk", "major_id"))
    frame = pd.DataFrame.from_records(rows, columns=["competency_id", "major_id"])
    frame["position"] = frame.groupby("major_id").cumcount()
    return frame


@dataclass
class RecomputeResult:
    students: int
    rows: int
    timings: dict[str, float] = field(default_factory=dict)


def _copy_in(cursor, table: str, frame: pd.DataFrame, columns: list[str]) -> None:
    buffer = io.StringIO()
    frame[columns].to_csv(buffer, index=False, header=False)
    buffer.seek(0)
    cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)", buffer)


def _upsert_changed_postgres(cursor, *, table: str, new: pd.DataFrame, keys: list[str], values: list[str],
                             student_ids: list[int] | None) -> int:
    """Write only the rows whose values changed (COPY into a temporary table, then one
    INSERT … ON CONFLICT), and delete rows that no longer exist. A recompute that finds
    little changed writes little; one that changes every row updates them in place (HOT:
    no value column is indexed and pages keep free space), which measured faster than
    DELETE + COPY."""
    columns = keys + values
    where = "" if student_ids is None else " WHERE student_id = ANY(%s)"
    if student_ids is None:
        current = _read_frame(f"SELECT {', '.join(columns)} FROM {table}", [], columns)
    else:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table}{where}", [student_ids])
        current = pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
    if current.empty:
        _copy_in(cursor, table, new, columns + ["updated_at" if "updated_at" in new else "computed_at"])
        return len(new)
    merged = new.merge(current, on=keys, how="outer", suffixes=("", "_old"), indicator=True)
    changed = merged["_merge"] == "left_only"
    for v in values:
        changed |= (merged["_merge"] == "both") & ~np.isclose(
            merged[v].astype(float), merged[f"{v}_old"].astype(float), rtol=0, atol=1e-12)
    gone = merged.loc[merged["_merge"] == "right_only", keys]
    if not gone.empty:
        arrays = [gone[k].astype(int).tolist() for k in keys]
        join = " AND ".join(f"t.{k} = g.{k}" for k in keys)
        cursor.execute(
            f"DELETE FROM {table} t USING unnest({', '.join(['%s::int[]'] * len(keys))}) AS g({', '.join(keys)}) WHERE {join}",
            arrays,
        )
    stamp = "updated_at" if "updated_at" in new else "computed_at"
    n_changed = int(changed.sum())
    if n_changed == 0:
        return 0
    rows = new.merge(merged.loc[changed, keys + ["_merge"]], on=keys)
    temp = f"tmp_{table.strip(chr(34))}"
    cursor.execute(f"DROP TABLE IF EXISTS {temp}")
    cursor.execute(f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "
                   f"SELECT {', '.join(columns + [stamp])} FROM {table} WITH NO DATA")
    all_columns = ", ".join(columns + [stamp])
    updated = rows[rows["_merge"] == "both"]
    if not updated.empty:
        # Existing rows: a plain UPDATE … FROM (a hash join) is cheaper than INSERT … ON
        # CONFLICT, which probes the unique index and attempts an insert per row.
        _copy_in(cursor, temp, updated, columns + [stamp])
        sets = ", ".join(f"{c} = s.{c}" for c in values + [stamp])
        match = " AND ".join(f"t.{k} = s.{k}" for k in keys)
        cursor.execute(f"UPDATE {table} t SET {sets} FROM {temp} s WHERE {match}")
    inserted = rows[rows["_merge"] == "left_only"]
    if not inserted.empty:
        cursor.execute(f"TRUNCATE {temp}")
        _copy_in(cursor, temp, inserted, columns + [stamp])
        # ON CONFLICT: a concurrent recompute of the same student may have inserted it.
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in values + [stamp])
        cursor.execute(f"INSERT INTO {table} ({all_columns}) SELECT {all_columns} FROM {temp} "
                       f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}")
    return len(rows)


def _write_attainments(frame: pd.DataFrame, areas: pd.Series, credits: pd.Series, student_ids: list[int],
                       all_students: bool) -> None:
    now = timezone.now()
    ca, sr = _table(CompetencyAttainment), _table(StudentRadar)
    radar = pd.DataFrame({"student_id": student_ids})
    radar["area"] = radar["student_id"].map(areas).fillna(0.0)
    radar["credits_completed"] = radar["student_id"].map(credits).fillna(0.0)
    if connection.vendor == "postgresql":
        out = frame[["student_id", "competency_id", "attainment", "earned", "possible"]].copy()
        out["updated_at"] = now.isoformat()
        radar["computed_at"] = now.isoformat()
        scope = None if all_students else student_ids
        with connection.cursor() as cursor:
            _upsert_changed_postgres(cursor, table=ca, new=out, keys=["student_id", "competency_id"],
                                     values=["attainment", "earned", "possible"], student_ids=scope)
            _upsert_changed_postgres(cursor, table=sr, new=radar, keys=["student_id"],
                                     values=["area", "credits_completed"], student_ids=scope)
        return
    with connection.cursor() as cursor:
        if all_students:
            cursor.execute(f"DELETE FROM {ca}")
            cursor.execute(f"DELETE FROM {sr}")
        else:
            for start in range(0, len(student_ids), 5000):
                chunk = student_ids[start:start + 5000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {ca} WHERE student_id IN ({marks})", chunk)
                cursor.execute(f"DELETE FROM {sr} WHERE student_id IN ({marks})", chunk)
    CompetencyAttainment.objects.bulk_create(
        [
            CompetencyAttainment(student_id=int(s), competency_id=int(c), attainment=float(a), earned=float(e),
                                 possible=float(p))
            for s, c, a, e, p in frame[["student_id", "competency_id", "attainment", "earned", "possible"]].itertuples(
                index=False, name=None)
        ],
        batch_size=2000,
    )
    StudentRadar.objects.bulk_create(
        [StudentRadar(student_id=int(s), area=float(a), credits_completed=float(c), computed_at=now)
         for s, a, c in radar[["student_id", "area", "credits_completed"]].itertuples(index=False, name=None)],
        batch_size=2000,
    )


@transaction.atomic
def radar_recompute(*, student_ids: Iterable[int] | None = None) -> RecomputeResult:
    """Recompute and store the radar of the given students (StudentProfile ids), or of
    every student when None, in one vectorised pass."""
    import time

    t0 = time.perf_counter()
    students = _students_frame(student_ids)
    if students.empty:
        return RecomputeResult(students=0, rows=0)
    all_students = student_ids is None
    programs = pd.DataFrame.from_records(
        list(Program.objects.filter(major_id__in=students["major_id"].unique().tolist())
             .values_list("pk", "major_id", "intake_year")),
        columns=["program_id", "major_id", "intake_year"],
    )
    competencies = _competencies_frame(students["major_id"].unique().tolist())
    weights = _weights_frame(programs["program_id"].tolist())
    t1 = time.perf_counter()
    grades = _grades_frame(None if all_students else students["user_id"].tolist())
    t2 = time.perf_counter()
    frame = compute_attainment_frame(students, programs, competencies[["competency_id", "major_id"]], weights, grades)
    areas = _areas(frame, competencies)
    credits = _credits_completed(students, programs, grades)
    t3 = time.perf_counter()
    _write_attainments(frame, areas, credits, students["student_id"].astype(int).tolist(), all_students)
    cohorts = list(students[["major_id", "intake_year"]].drop_duplicates().itertuples(index=False, name=None))
    cohort_average_invalidate(cohorts=cohorts)
    _rankings_refresh_request(major_ids={int(m) for m, _ in cohorts})
    transaction.on_commit(lambda: cohort_average_invalidate(cohorts=cohorts))
    t4 = time.perf_counter()
    return RecomputeResult(
        students=len(students), rows=len(frame),
        timings={"load": t1 - t0, "grades": t2 - t1, "compute": t3 - t2, "write": t4 - t3},
    )


def _credits_completed(students: pd.DataFrame, programs: pd.DataFrame, grades: pd.DataFrame) -> pd.Series:
    rows = list(ProgramCourse.objects.filter(program_id__in=programs["program_id"].tolist())
                .values_list("program_id", "course_id", "credits"))
    pc = pd.DataFrame.from_records(rows, columns=["program_id", "course_id", "credits"])
    pc["credits"] = pc["credits"].astype(float)
    s = students.merge(programs, on=["major_id", "intake_year"])[["student_id", "user_id", "program_id"]]
    done = grades[["user_id", "course_id"]].drop_duplicates().merge(s, on="user_id").merge(pc, on=["program_id", "course_id"])
    return done.groupby("student_id")["credits"].sum()


# --- one student, in the database ------------------------------------------------

def _program_for(profile: StudentProfile) -> Program | None:
    return Program.objects.filter(major_id=profile.major_id, intake_year=profile.intake_year).first()


def radar_recompute_student(*, student: StudentProfile) -> list[CompetencyAttainment]:
    """Recompute one student's stored radar after a grade change: one aggregate query
    in the database (best grade per course → weighted sums per competency) and two upserts."""
    e, o, pc, w, c, p = (_table(m) for m in (Enrolment, CourseOffering, ProgramCourse, CourseCompetencyWeight,
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
            [student.major_id, student.intake_year, student.user_id, student.major_id],
        )
        fetched = cursor.fetchall()
    rows = [(cid, possible, earned) for cid, possible, earned, _credits in fetched]
    credits = fetched[0][3] if fetched else 0.0
    objs = [
        CompetencyAttainment(
            student_id=student.pk, competency_id=cid, possible=float(possible), earned=float(earned),
            attainment=min(1.0, float(earned) / float(possible)) if possible else 0.0,
        )
        for cid, possible, earned in rows
    ]
    with transaction.atomic():
        CompetencyAttainment.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=["student", "competency"],
            update_fields=["attainment", "earned", "possible", "updated_at"],
        )
        StudentRadar.objects.bulk_create(
            [StudentRadar(student_id=student.pk, area=radar_area([a.attainment for a in objs]),
                          credits_completed=float(credits), computed_at=timezone.now())],
            update_conflicts=True, unique_fields=["student"], update_fields=["area", "credits_completed", "computed_at"],
        )
    cohort = [(student.major_id, student.intake_year)]
    cohort_average_invalidate(cohorts=cohort)
    _rankings_refresh_request(major_ids=[student.major_id])
    transaction.on_commit(lambda: cohort_average_invalidate(cohorts=cohort))
    return objs


def _rankings_refresh_request(*, major_ids) -> None:
    """The competency rankings of these majors follow the stored attainment (issue 4);
    a debounced refresh after commit."""
    from .rankings import rankings_refresh_request

    rankings_refresh_request(major_ids=major_ids)


def radar_recompute_for_users(*, user_ids: Iterable[int]) -> int:
    """After grades of these users changed: one student synchronously in the database,
    several in one vectorised pass. Returns the number of students recomputed."""
    user_ids = list(set(user_ids))
    if len(user_ids) == 1:
        profile = StudentProfile.objects.filter(user_id=user_ids[0]).first()
        if profile is None:
            return 0
        radar_recompute_student(student=profile)
        return 1
    ids = list(StudentProfile.objects.filter(user_id__in=user_ids).values_list("pk", flat=True))
    if not ids:
        return 0
    return radar_recompute(student_ids=ids).students


# --- reads -----------------------------------------------------------------------

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
    qs = CompetencyAttainment.objects.filter(student__major_id=major_id)
    if intake_year is not None:
        qs = qs.filter(student__intake_year=intake_year)
    value = dict(qs.values("competency_id").annotate(avg=Avg("attainment")).values_list("competency_id", "avg"))
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


@dataclass
class CompetencyExplanation:
    code: str
    name: str
    attainment: float
    earned: float
    possible: float
    contributions: list[Contribution]


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
    by_comp: dict[int, list[CourseCompetencyWeight]] = {}
    for w in weights:
        by_comp.setdefault(w.competency_id, []).append(w)
    out = []
    for comp in _axes(student.major_id):
        rows = by_comp.get(comp.pk, [])
        possible_total = sum(float(w.program_course.credits) * float(w.weight) * 100 for w in rows)
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


def radar_history(*, student: StudentProfile) -> list[HistoryPoint]:
    """Attainment after each term the student has grades in (cumulative, so never
    shrinking), computed from the grades on demand."""
    program = _program_for(student)
    weights = _program_rows(program.pk if program else None)
    competencies = _axes(student.major_id)
    index = {c.pk: i for i, c in enumerate(competencies)}
    possible = np.zeros(len(competencies))
    course_weights: dict[int, list[tuple[int, float]]] = {}
    for w in weights:
        cw = float(w.program_course.credits) * float(w.weight)
        if w.competency_id in index:
            possible[index[w.competency_id]] += cw * 100
            course_weights.setdefault(w.program_course.course_id, []).append((index[w.competency_id], cw))
    grades = list(Enrolment.objects.filter(student_id=student.user_id, score__isnull=False).values_list(
        "offering__course_id", "score", "offering__term_id"))
    term_ids = sorted({t for _, _, t in grades})
    terms = {t.pk: t for t in Term.objects.filter(pk__in=term_ids)}
    ordered_terms = sorted(terms.values(), key=lambda t: (t.start_year, t.number))
    points = []
    best: dict[int, float] = {}
    for term in ordered_terms:
        for course_id, score, term_id in grades:
            if term_id == term.pk:
                best[course_id] = max(best.get(course_id, 0.0), float(score))
        earned = np.zeros(len(competencies))
        for course_id, score in best.items():
            for i, cw in course_weights.get(course_id, []):
                earned[i] += cw * score
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(possible > 0, earned / np.where(possible > 0, possible, 1), 0.0)
        points.append(HistoryPoint(term_code=term.code, label=str(term), values=values.tolist(),
                                   area=radar_area(values.tolist())))
    return points


def growth_by_year(history: list[HistoryPoint]) -> list[HistoryPoint]:
    """One polygon per academic year: the attainment at the end of each year so far."""
    by_year: dict[str, HistoryPoint] = {}
    for point in history:
        by_year[point.term_code.rsplit("-", 1)[0]] = point
    return [HistoryPoint(term_code=p.term_code, label=year, values=p.values, area=p.area) for year, p in by_year.items()]


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
