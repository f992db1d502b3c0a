"""Cold figures computed side by side (admin_portal.selectors.kpi_figures_many): on PostgreSQL,
outside a transaction, the missing figure sets run on several connections at once; the result
is the same as one after another, in the caller's language, and the threads' connections are
closed. Inside a transaction (whose rows other connections cannot see) they run in order."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.utils import translation

from accounts.dashboard import Scope, kpi_registry
from admin_portal import selectors
from tests.admin_portal.world import YEAR, build_world, more_students


def _wanted():
    scope = Scope(year=YEAR)
    return [(kpi, scope, group_by) for kpi in kpi_registry().values() for group_by in (None, "major")]


def _plain(results):
    return [{key: (f.value, f.numerator, f.denominator, dict(f.breakdown or {})) for key, f in r.items()}
            for r in results]


@pytest.fixture
def new_connections():
    """The threads that opened a database connection while the test ran."""
    names: list[str] = []

    def opened(sender, connection, **kwargs):
        names.append(threading.current_thread().name)
    connection_created.connect(opened)
    yield names
    connection_created.disconnect(opened)


@pytest.mark.django_db(transaction=True)
def test_side_by_side_equals_one_after_another_in_the_callers_language(settings, new_connections):
    build_world()
    settings.DASHBOARD_CACHE_SECONDS = 0
    settings.DASHBOARD_QUERY_WORKERS = 1
    with translation.override("zh-hans"):
        in_order = _plain(selectors.kpi_figures_many(_wanted()))
    settings.DASHBOARD_QUERY_WORKERS = 4
    new_connections.clear()
    with translation.override("zh-hans"):
        side_by_side = _plain(selectors.kpi_figures_many(_wanted()))
    assert side_by_side == in_order
    # breakdown labels were translated in the worker threads too
    awards = [r for (kpi, _s, g), r in zip(_wanted(), side_by_side, strict=True)
              if kpi.code == "competition_awards" and g is None][0]
    assert any("国" in label or "省" in label or "市" in label for label in awards[None][3])
    if connection.vendor == "postgresql":
        pool = [name for name in new_connections if name.startswith("dashboard-figures")]
        assert 2 <= len(pool) <= 4 * len(_wanted())  # several threads, each with its own connection
        with connection.cursor() as cursor:  # the pool's connections are gone
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid()")
            assert cursor.fetchone()[0] == 0
    else:  # SQLite: one after another, on the caller's connection
        assert not [name for name in new_connections if name.startswith("dashboard-figures")]


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_figures_see_its_uncommitted_rows(settings, new_connections):
    build_world()
    settings.DASHBOARD_CACHE_SECONDS = 0
    settings.DASHBOARD_QUERY_WORKERS = 4
    students = kpi_registry()["students"]
    before = selectors.kpi_figures(students, Scope(year=YEAR))[None].value
    new_connections.clear()
    with transaction.atomic():
        more_students(3, prefix="tx")
        figures = selectors.kpi_figures_many([(students, Scope(year=YEAR), None),
                                              (students, Scope(year=YEAR), "major")])
        assert figures[0][None].value == before + 3
        transaction.set_rollback(True)
    assert new_connections == []  # no other connection was opened


def _approx(figures):
    return {key: (pytest.approx(f.value), f.numerator, {k: pytest.approx(v, abs=1e-4) for k, v in f.breakdown.items()})
            for key, f in figures.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("scope,group_by", [(Scope(year=YEAR), "major"), (Scope(year=YEAR, major_code="ec"), "class")])
def test_radar_scope_and_groups_from_one_query_equal_the_two_apart(scope, group_by, django_assert_num_queries):
    from students.dashboard import _radar, _radar_with_groups

    build_world()
    more_students(4, prefix="radar")
    kpi = kpi_registry()["competency_radar"]
    apart = (kpi.figures(scope, None), kpi.figures(scope, group_by))
    assert apart[0][None].value is not None and apart[1]  # the world has attainments in groups
    together = _radar_with_groups(scope, group_by)
    assert kpi.figures is _radar and kpi.figures_with_groups is _radar_with_groups
    assert _approx(together[0]) == _approx(apart[0]) and _approx(together[1]) == _approx(apart[1])
    # the dashboard asks for both: one attainment scan (plus the major's competency names)
    with django_assert_num_queries(1 if scope.major_code is None else 2):
        figures = selectors.kpi_figures_many([(kpi, scope, None), (kpi, scope, group_by)], refresh=True)
    assert _approx(figures[0]) == _approx(apart[0]) and _approx(figures[1]) == _approx(apart[1])


SUMMED = ("students", "competition_awards", "national_awards", "internship_rate", "evaluation_excellence_rate")
TOGETHER = (*SUMMED, "practice_bases")


@pytest.mark.django_db
@pytest.mark.parametrize("scope,group_by", [(Scope(year=YEAR), "major"), (Scope(year=YEAR, major_code="ec"), "class")])
def test_figures_with_groups_equal_the_scope_computed_apart(scope, group_by):
    """Counts and rates whose rows each have one major and one class: the scope's figure from
    its groups' sums (one query) is exactly the figure computed on its own; likewise practice
    bases, whose scope figure and groups come from one query of distinct host organisations."""
    import datetime

    from enterprises.internships.models import Placement
    from students.models import StudentProfile
    from tests.internships.builders import make_placement

    build_world()
    more_students(4, prefix="summed")
    interns = [*StudentProfile.objects.filter(major__code="ec").order_by("pk")[:2],
               StudentProfile.objects.exclude(major__code="ec").order_by("pk").first()]
    first = make_placement(student=interns[0], starts_on=datetime.date(YEAR, 3, 1))
    make_placement(student=interns[1], starts_on=datetime.date(YEAR, 3, 1))
    # one host with interns of two majors: once for the school, once in each major
    make_placement(student=interns[2], organization=first.organization, mentor=first.mentor, tutor=first.tutor,
                   starts_on=datetime.date(YEAR, 4, 1))
    Placement.objects.update(status=Placement.Status.ACTIVE)
    registry = kpi_registry()
    assert {code for code, kpi in registry.items() if kpi.figures_with_groups is not None} == {
        *TOGETHER, "competency_radar"}  # the radar has its own test above (float sums)
    for code in TOGETHER:
        kpi = registry[code]
        apart = _plain([kpi.figures(scope, None), kpi.figures(scope, group_by)])
        together = _plain(list(kpi.figures_with_groups(scope, group_by)))
        assert together == apart, code
        if scope.major_code is None:
            assert apart[0][None][1], f"{code}: the world gives it something to count"
