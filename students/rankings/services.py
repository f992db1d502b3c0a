"""Writes of the rankings: the rank table's refresh (and the debounced requests for it)
and the per-term tier snapshots. See selectors.py for how the table is read."""

from __future__ import annotations

import datetime
import time

from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, PercentRank
from django.utils import timezone

from ..profiles.models import StudentProfile
from .models import RankingEntry, RankingRefresh, TermTier
from .selectors import _PARTITIONS, _ROW_COLUMNS, POINTS_METRIC, _percentile, tier_for_percentile


def refresh_delay_seconds() -> int:
    from django.conf import settings

    return int(getattr(settings, "RANKINGS_REFRESH_DELAY", 30))


def points_until_term_end(term) -> Subquery:
    """A student's balance at the end of `term`, from the ledger: entries of that term or an
    earlier one, and entries without a term made before the term ended."""
    from ..points.models import PointEntry

    end = timezone.make_aware(datetime.datetime.combine(term.ends_on + datetime.timedelta(days=1), datetime.time()))
    counted = (Q(term__start_year__lt=term.start_year) | Q(term__start_year=term.start_year, term__number__lte=term.number)
               | Q(term__isnull=True, created_at__lt=end))
    total = (PointEntry.objects.filter(counted, student_id=OuterRef("pk")).order_by().values("student_id")
             .annotate(total=Sum("amount")).values("total"))
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def tiers_assign_for_term(*, term) -> int:
    """Snapshot every student's tier for the term from their cohort percentile of the
    points they had at the end of that term (not today's balance: a past term's tiers are
    what that term earned). Idempotent: students who already have a tier for the term keep it."""
    rows = (
        StudentProfile.objects.annotate(value=points_until_term_end(term))
        .annotate(
            pct=Window(PercentRank(), partition_by=[F("major_id"), F("intake_year")], order_by=F("value").asc()),
            population=Window(Count("pk"), partition_by=[F("major_id"), F("intake_year")]),
        )
        .values_list("pk", "value", "pct", "population")
    )
    objs = []
    for pk, value, pct, population in rows.iterator(chunk_size=5000):
        percentile = _percentile(pct, population)
        objs.append(TermTier(student_id=pk, term=term, tier=tier_for_percentile(percentile),
                             percentile=percentile, points=value))
    TermTier.objects.bulk_create(objs, batch_size=5000, ignore_conflicts=True)
    return len(objs)


def _source_sql(metric: str) -> tuple[str, list, int | None]:
    """SELECT of (student_id, user_id, student_number, major_id, intake_year,
    school_class_id, value) for every student the metric ranks, and the competency's
    major (None for points)."""
    from ..points.models import PointBalance
    from ..radar.models import CompetencyAttainment

    sp = StudentProfile._meta.db_table
    columns = "sp.id AS student_id, sp.user_id, sp.student_number, sp.major_id, sp.intake_year, sp.school_class_id"
    if metric == POINTS_METRIC:
        pb = PointBalance._meta.db_table
        return (f"SELECT {columns}, CAST(COALESCE(pb.total, 0) AS DOUBLE PRECISION) AS value "
                f"FROM {sp} sp LEFT JOIN {pb} pb ON pb.student_id = sp.id", [], None)
    from teachers.models import Competency

    competency_id = int(metric.split(":", 1)[1])
    major_id = Competency.objects.filter(pk=competency_id).values_list("major_id", flat=True).first()
    if major_id is None:
        raise Competency.DoesNotExist(metric)
    ca = CompetencyAttainment._meta.db_table
    return (f"SELECT {columns}, CAST(COALESCE(ca.attainment, 0) AS DOUBLE PRECISION) AS value "
            f"FROM {sp} sp LEFT JOIN {ca} ca ON ca.student_id = sp.id AND ca.competency_id = %s "
            f"WHERE sp.major_id = %s", [competency_id, major_id], major_id)


@transaction.atomic
def rankings_refresh(*, metric: str) -> RankingRefresh | None:
    """Recompute one metric's ranks in every scope in one statement and write the
    rows that changed. Serialised per metric by an advisory lock; readers keep
    seeing the previous ranking until commit. Returns None for a metric whose
    competency no longer exists (its rows are removed)."""
    from teachers.models import Competency

    started = timezone.now()
    t0 = time.perf_counter()
    table = RankingEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"rankings:{metric}"])
            cursor.execute("SET LOCAL work_mem = '64MB'")
        try:
            source, params, major_id = _source_sql(metric)
        except Competency.DoesNotExist:
            RankingEntry.objects.filter(metric=metric).delete()
            RankingRefresh.objects.filter(metric=metric).delete()
            return None
        windows = ",\n".join(
            f"RANK() OVER ({p} ORDER BY value DESC) AS {s}_rank, "
            f"ROW_NUMBER() OVER ({p} ORDER BY value DESC, student_number, student_id) AS {s}_position, "
            f"PERCENT_RANK() OVER ({p} ORDER BY value ASC) AS {s}_pct, "
            f"COUNT(*) OVER ({p}) AS {s}_population"
            for s, p in _PARTITIONS.items()
        )
        names = ", ".join(_ROW_COLUMNS)
        select = f"SELECT %s, student_id, {names} FROM (SELECT *, {windows} FROM ({source}) src) ranked"
        # Write only the rows that changed (SQLite: IS NOT is its null-safe "distinct";
        # WHERE true keeps its parser from reading ON CONFLICT as a join condition).
        distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _ROW_COLUMNS)
        cursor.execute(
            f"INSERT INTO {table} (metric, student_id, {names}) {select} WHERE true "
            f"ON CONFLICT (metric, student_id) DO UPDATE SET {updates} "
            f"WHERE ({', '.join(f'{table}.{c}' for c in _ROW_COLUMNS)}) {distinct} "
            f"({', '.join(f'EXCLUDED.{c}' for c in _ROW_COLUMNS)})",
            [metric, *params],
        )
        changed = cursor.rowcount
        if major_id is not None:  # students who left the competency's major
            cursor.execute(
                f"DELETE FROM {table} WHERE {table}.metric = %s AND NOT EXISTS (SELECT 1 FROM "
                f"{StudentProfile._meta.db_table} sp WHERE sp.id = {table}.student_id AND sp.major_id = %s)",
                [metric, major_id])
            changed += cursor.rowcount
    refresh, _ = RankingRefresh.objects.update_or_create(
        metric=metric, defaults={"refreshed_at": started, "duration_ms": int((time.perf_counter() - t0) * 1000),
                                 "rows_changed": max(0, changed)})
    return refresh


def rankings_metrics_all() -> list[str]:
    from teachers.models import Competency

    return [POINTS_METRIC, *(f"competency:{pk}" for pk in Competency.objects.order_by("pk").values_list("pk", flat=True))]


def rankings_refresh_all() -> dict[str, int]:
    """Refresh every metric (points and each competency) and drop metrics of deleted
    competencies. Used by seed_demo, the hourly beat task and benchmarks."""
    metrics = rankings_metrics_all()
    RankingEntry.objects.exclude(metric__in=metrics).delete()
    RankingRefresh.objects.exclude(metric__in=metrics).delete()
    done = {}
    for metric in metrics:
        refresh = rankings_refresh(metric=metric)
        if refresh is not None:
            done[metric] = refresh.rows_changed
    return done


# --- refresh requests (debounced) ----------------------------------------------

_recently_enqueued: dict[str, float] = {}


def _pending_key(key: str) -> str:
    return f"rankings:refresh-pending:{key}"


def _refresh_keys(*, metric: str | None, points: bool, major_ids) -> list[str]:
    keys = [POINTS_METRIC] if points else []
    if metric == POINTS_METRIC:
        keys.append(POINTS_METRIC)
    elif metric:
        keys.append(metric)
    keys += [f"major:{int(m)}" for m in sorted({int(m) for m in major_ids})]
    return list(dict.fromkeys(keys))


def rankings_refresh_request(*, metric: str | None = None, points: bool = False, major_ids=()) -> None:
    """Ask for a refresh after the current transaction commits: points, one metric,
    or every competency of the given majors. Debounced: at most one task per key is
    waiting (a cache key, cleared when the task starts), started
    RANKINGS_REFRESH_DELAY seconds after the first change, so a burst of grants
    costs one refresh."""
    keys = _refresh_keys(metric=metric, points=points, major_ids=major_ids)
    if keys:
        transaction.on_commit(lambda: _enqueue_refreshes(keys))


def _tasks_run_eagerly() -> bool:
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def _enqueue_refreshes(keys: list[str]) -> None:
    from django.core.cache import cache

    from .tasks import rankings_refresh_task

    delay = refresh_delay_seconds()
    eager = _tasks_run_eagerly()
    now = time.monotonic()
    for key in keys:
        # This process enqueued the key less than `delay` ago: that task has not
        # started yet (countdown), so it will see this change too.
        if not eager and now - _recently_enqueued.get(key, -1e9) < delay:
            continue
        if cache.add(_pending_key(key), 1, timeout=max(60, delay * 10)):
            _recently_enqueued[key] = now
            rankings_refresh_task.apply_async(args=[key], countdown=delay)


def rankings_refresh_for_key(*, key: str) -> int:
    """The task's body: clear the pending mark first (a change from now on asks for
    another refresh), then refresh the metrics behind the key. Rows changed."""
    from django.core.cache import cache

    cache.delete(_pending_key(key))
    if key.startswith("major:"):
        from teachers.models import Competency

        metrics = [f"competency:{pk}" for pk in
                   Competency.objects.filter(major_id=int(key.split(":", 1)[1])).values_list("pk", flat=True)]
    else:
        metrics = [key]
    changed = 0
    for metric in metrics:
        refresh = rankings_refresh(metric=metric)
        changed += refresh.rows_changed if refresh is not None else 0
    return changed
