"""The construction plan's targets (Table 1.2 of the plan): the default values per plan year,
the actual figure of each target (the school-wide figure of the KPI with the target's code)
and the status (met, on track, behind)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

PLAN_YEARS = (2025, 2026, 2027)

# code: (unit, name, {year: default}). Rates are 0..1.
TARGET_DEFAULTS: dict[str, tuple[str, object, dict[int, Decimal]]] = {
    "practice_bases": ("count", _("Practice bases"), {2025: Decimal(5), 2026: Decimal(8), 2027: Decimal(10)}),
    "teachers_serving_enterprises": ("rate", _("Full-time teachers serving enterprises"),
                                     {2025: Decimal("0.5"), 2026: Decimal("0.7"), 2027: Decimal("0.8")}),
    "enterprises_served": ("count", _("Enterprises given technical services"),
                           {2025: Decimal(10), 2026: Decimal(20), 2027: Decimal(30)}),
    "cooperation_courses": ("count", _("School–enterprise cooperation courses"),
                            {2025: Decimal(2), 2026: Decimal(4), 2027: Decimal(6)}),
    "golden_courses": ("count", _("Golden courses"), {2025: Decimal(1), 2026: Decimal(2), 2027: Decimal(3)}),
    "national_awards": ("count", _("National competition awards"),
                        {2025: Decimal(3), 2026: Decimal(4), 2027: Decimal(5)}),
}

ON_TRACK_RATE_SHARE = 0.9  # a rate within 90 % of its target is on track while the year runs


class Status:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"

    LABELS = {MET: _("Met"), ON_TRACK: _("On track"), BEHIND: _("Behind"), NO_DATA: _("Not measured")}


def year_elapsed_share(year: int, today: datetime.date) -> float:
    if year < today.year:
        return 1.0
    if year > today.year:
        return 0.0
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year + 1, 1, 1) - start).days
    return ((today - start).days + 1) / days


def target_status(*, target: float, actual: float | None, unit: str, year: int, today: datetime.date) -> str:
    """met: actual ≥ target. A past year not met is behind; a year not started is on track. While
    the year runs, a count is on track when it is at least the target pro rata of the days
    elapsed, a rate when it is at least 90 % of the target; otherwise behind."""
    if actual is None:
        return Status.NO_DATA
    if actual >= target:
        return Status.MET
    if year < today.year:
        return Status.BEHIND
    if year > today.year:
        return Status.ON_TRACK  # not started yet
    if unit == "rate":
        return Status.ON_TRACK if actual >= ON_TRACK_RATE_SHARE * target else Status.BEHIND
    return Status.ON_TRACK if actual >= target * year_elapsed_share(year, today) else Status.BEHIND


@dataclass(frozen=True)
class TargetLine:
    id: int | None
    year: int
    code: str
    name: str
    target: float
    actual: float | None
    unit: str
    status: str

    @property
    def status_label(self):
        return Status.LABELS[self.status]

    @property
    def progress(self) -> float | None:
        if self.actual is None or not self.target:
            return None
        return min(self.actual / self.target, 1.0)
