"""Writing the computed radar: only the rows whose values changed.

On PostgreSQL the new values are COPYed into a temporary table and applied with one
`UPDATE … FROM` for existing rows and one `INSERT … ON CONFLICT` for new ones; rows
that no longer exist are deleted. Elsewhere (SQLite, the embedded default) the scope's
rows are replaced."""

from __future__ import annotations

import io

from django.db import connection
from django.utils import timezone

from platform_site.lazy import lazy_module

from .computation import read_frame, table_name
from .models import CompetencyAttainment, StudentRadar

np = lazy_module("numpy")
pd = lazy_module("pandas")


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
        current = read_frame(f"SELECT {', '.join(columns)} FROM {table}", [], columns)
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


# Up to this many students (a grade change, one class) the rows are upserted directly:
# two statements, cheaper than the temporary-table path's fixed cost.
SMALL_SCOPE = 100


def _upsert_small(frame: pd.DataFrame, radar: pd.DataFrame, student_ids: list[int], now) -> None:
    CompetencyAttainment.objects.filter(student_id__in=student_ids).exclude(
        competency_id__in=frame["competency_id"].astype(int).unique().tolist()).delete()
    CompetencyAttainment.objects.bulk_create(
        [CompetencyAttainment(student_id=int(s), competency_id=int(c), attainment=float(a), earned=float(e),
                              possible=float(p))
         for s, c, a, e, p in frame[["student_id", "competency_id", "attainment", "earned", "possible"]]
         .itertuples(index=False, name=None)],
        update_conflicts=True, unique_fields=["student", "competency"],
        update_fields=["attainment", "earned", "possible", "updated_at"],
    )
    StudentRadar.objects.bulk_create(
        [StudentRadar(student_id=int(s), area=float(a), credits_completed=float(c), computed_at=now)
         for s, a, c in radar[["student_id", "area", "credits_completed"]].itertuples(index=False, name=None)],
        update_conflicts=True, unique_fields=["student"], update_fields=["area", "credits_completed", "computed_at"],
    )


def attainments_write(frame: pd.DataFrame, areas: pd.Series, credits: pd.Series, student_ids: list[int],
                      all_students: bool) -> None:
    now = timezone.now()
    ca, sr = table_name(CompetencyAttainment), table_name(StudentRadar)
    radar = pd.DataFrame({"student_id": student_ids})
    radar["area"] = radar["student_id"].map(areas).fillna(0.0)
    radar["credits_completed"] = radar["student_id"].map(credits).fillna(0.0)
    if not all_students and len(student_ids) <= SMALL_SCOPE:
        _upsert_small(frame, radar, student_ids, now)
        return
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
    # SQLite (the embedded default): the same rule, only changed rows written, in portable SQL.
    stamp = connection.ops.adapt_datetimefield_value(now)
    out = frame[["student_id", "competency_id", "attainment", "earned", "possible"]].copy()
    out["updated_at"] = stamp
    radar["computed_at"] = stamp
    scope = None if all_students else student_ids
    with connection.cursor() as cursor:
        _upsert_changed_portable(cursor, table=ca, new=out, keys=["student_id", "competency_id"],
                                 values=["attainment", "earned", "possible"], stamp="updated_at", student_ids=scope)
        _upsert_changed_portable(cursor, table=sr, new=radar, keys=["student_id"],
                                 values=["area", "credits_completed"], stamp="computed_at", student_ids=scope)


def _upsert_changed_portable(cursor, *, table: str, new: pd.DataFrame, keys: list[str], values: list[str],
                             stamp: str, student_ids: list[int] | None) -> int:
    """_upsert_changed_postgres for databases without COPY: read the current rows,
    then DELETE the gone, UPDATE the changed and INSERT the new ones."""
    columns = keys + values
    select = f"SELECT {', '.join(columns)} FROM {table}"
    current_rows: list = []
    if student_ids is None:
        cursor.execute(select)
        current_rows = cursor.fetchall()
    else:
        for start in range(0, len(student_ids), 900):
            chunk = student_ids[start:start + 900]
            cursor.execute(f"{select} WHERE student_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
            current_rows += cursor.fetchall()
    current = {tuple(r[:len(keys)]): r[len(keys):] for r in current_rows}
    seen, updates, inserts = set(), [], []
    for row in new[columns + [stamp]].itertuples(index=False, name=None):
        key = tuple(int(k) for k in row[:len(keys)])
        vals = tuple(float(v) for v in row[len(keys):len(columns)])
        seen.add(key)
        old = current.get(key)
        if old is None:
            inserts.append(key + vals + (row[-1],))
        elif any(abs(float(a) - b) > 1e-12 for a, b in zip(old, vals, strict=True)):
            updates.append(vals + (row[-1],) + key)
    match = " AND ".join(f"{k} = %s" for k in keys)
    gone = [key for key in current if key not in seen]
    if gone:
        cursor.executemany(f"DELETE FROM {table} WHERE {match}", gone)
    if updates:
        sets = ", ".join(f"{c} = %s" for c in values + [stamp])
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE {match}", updates)
    if inserts:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns + [stamp])}) "
                           f"VALUES ({', '.join(['%s'] * (len(columns) + 1))})", inserts)
    return len(updates) + len(inserts)
