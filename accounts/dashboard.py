"""How an app contributes figures to the school dashboard without admin_portal's code
knowing its models, and without the app importing admin_portal (dependencies point down).

Each app that has figures puts a list `DASHBOARD_KPIS` of `Kpi` in `<app>/dashboard.py`;
`accounts.navigation.project_app_attribute("dashboard", "DASHBOARD_KPIS")` collects them.
admin_portal lays them out, checks who may see which scope, draws them, exports them and
serves them over the API.

Rules for a `Kpi`:
- `figures(scope, group_by)` answers in a constant number of queries, aggregating in SQL
  (GROUP BY major or class), never a Python loop over rows. `group_by=None` returns
  `{None: Figure}`; `"major"` returns `{major_code: Figure}`; `"class"` returns
  `{class_id: Figure}` (only the groups inside the scope).
- `rows(scope)` (optional) lists the students behind the figure for one class
  (`scope.class_id` is set): the last step of the drill-down major → class → student.
- A rate is 0..1 with its numerator and denominator; `value` is None when the
  denominator is 0 (shown as "–", never as 0 %).
- A construction-plan target's actual is the school-wide figure of the KPI with the
  target's code (`practice_bases`, `teachers_serving_enterprises`, `enterprises_served`,
  `cooperation_courses`, `national_awards`, ...).
- `name` and `help` are lazy translations: `help` says exactly how the figure is computed
  (it is the tooltip and the documentation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Unit = Literal["count", "rate", "score", "money"]
GroupBy = Literal["major", "class"] | None


@dataclass(frozen=True)
class Scope:
    """What the viewer asked for: a year (calendar year of the figures; for cohort figures
    such as employment, the graduation year) and optionally a major or one class."""

    year: int
    major_code: str | None = None
    class_id: int | None = None


@dataclass(frozen=True)
class Figure:
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    # optional distribution (salary bands, award levels, per competency ...): label -> count or value
    breakdown: dict[str, float] = field(default_factory=dict)

    @classmethod
    def rate(cls, numerator: int, denominator: int) -> Figure:
        return cls(value=(numerator / denominator) if denominator else None, numerator=numerator,
                   denominator=denominator)

    @classmethod
    def count(cls, n: int, breakdown: dict[str, float] | None = None) -> Figure:
        return cls(value=float(n), numerator=n, breakdown=breakdown or {})


@dataclass(frozen=True)
class Row:
    """One student behind a figure (drill-down's last level)."""

    student_id: int
    student_number: str
    name: str
    value: str  # already formatted for the reader (e.g. "employed", "0.82", "yes")


@dataclass(frozen=True)
class Kpi:
    code: str  # stable, used by the API and the targets: "employment_rate", ...
    name: Any  # lazy translation
    help: Any  # lazy translation: how it is computed
    unit: Unit
    figures: Callable[[Scope, GroupBy], dict[Any, Figure]]
    rows: Callable[[Scope], list[Row]] | None = None
    order: int = 100  # position on the dashboard (lower first)
    school_wide_only: bool = False  # True: no per-major/class grouping (e.g. lab usage)
    # Optional: (the scope's figures, its groups' figures) from one query, where computing them
    # apart would scan the same rows twice; used when both are wanted and neither is cached.
    figures_with_groups: Callable[[Scope, GroupBy], tuple[dict[Any, Figure], dict[Any, Figure]]] | None = None


def kpi_registry() -> dict[str, Kpi]:
    """Every app's KPIs by code, in dashboard order."""
    from .navigation import project_app_attribute

    kpis = sorted(project_app_attribute("dashboard", "DASHBOARD_KPIS"), key=lambda k: (k.order, k.code))
    return {k.code: k for k in kpis}


def summed_over_groups(figures: Callable[[Scope, GroupBy], dict[Any, Figure]], unit: Unit
                       ) -> Callable[[Scope, GroupBy], tuple[dict[Any, Figure], dict[Any, Figure]]]:
    """A `figures_with_groups` for a count or rate whose rows each belong to exactly one group
    (a student has one major and one class): the scope's figure is the sum of its groups'
    numerators, denominators and breakdowns, so the one GROUP BY query of the groups gives both.
    Only for figures that are such sums: not for distinct counts across groups (enterprises
    serving several majors) nor for means."""
    if unit not in ("count", "rate"):
        raise ValueError(f"summed_over_groups: a count or a rate, not {unit!r}")

    def both(scope: Scope, group_by: GroupBy) -> tuple[dict[Any, Figure], dict[Any, Figure]]:
        groups = figures(scope, group_by)
        numerator = sum(f.numerator or 0 for f in groups.values())
        if unit == "rate":
            total = Figure.rate(numerator, sum(f.denominator or 0 for f in groups.values()))
        else:
            breakdown: dict[str, float] = {}
            for figure in groups.values():
                for label, n in figure.breakdown.items():
                    breakdown[label] = breakdown.get(label, 0) + n
            total = Figure.count(numerator, breakdown)
        return {None: total}, groups

    return both
