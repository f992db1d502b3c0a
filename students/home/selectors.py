"""The student's home: one screen that answers "where do I stand, and what next?".

Everything here is read from stored tables (attainments, point balance, the rank
table), so the page costs a fixed, small number of queries whatever the data size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.navigation import project_app_attribute

from ..competitions.models import CompetitionEntry
from ..points.models import PointEntry
from ..points.selectors import points_total_for_student
from ..profiles.models import StudentProfile
from ..radar.selectors import Radar, radar_for_student
from ..radar.svg import radar_svg
from ..rankings.models import Tier
from ..rankings.selectors import OwnPosition, current_tier
from ..resume.models import ResumeSettings
from ..stars.models import StarOfSkill


@dataclass
class CompetencyGap:
    name: str
    attainment: float
    cohort: float

    @property
    def gap(self) -> float:
        return self.attainment - self.cohort


@dataclass
class StudentDashboard:
    student: StudentProfile
    radar: Radar
    radar_svg: str
    area_percent: float
    strongest: CompetencyGap | None
    weakest: CompetencyGap | None
    points_total: int
    recent_points: list[PointEntry]
    position: OwnPosition
    tier_label: str
    awards_verified: int
    awards_pending: int
    stars: int
    resume_shared: bool
    resume_visible_to_enterprises: bool
    panels: list[dict] = field(default_factory=list)


def _gaps(radar: Radar) -> tuple[CompetencyGap | None, CompetencyGap | None]:
    """Strongest and weakest competence relative to the cohort average: what the
    student is ahead in, and where catching up matters most."""
    gaps = [CompetencyGap(a.name, a.attainment, c.attainment)
            for a, c in zip(radar.axes, radar.cohort_average, strict=True)]
    if not gaps:
        return None, None
    strongest = max(gaps, key=lambda g: (g.gap, g.attainment))
    behind = [g for g in gaps if g.gap < 0]
    # Behind the cohort somewhere: the widest gap. Ahead everywhere: the lowest attainment.
    weakest = min(behind, key=lambda g: (g.gap, g.attainment)) if behind else min(gaps, key=lambda g: g.attainment)
    if strongest is weakest:
        return strongest, None
    return strongest, weakest


def home_panels(user) -> list[dict]:
    """Panels other apps add to the home page (`HOME_PANELS` in `<app>/panels.py`:
    (roles, order, function(user) -> context naming its "template")), in order.
    Discovered through the app registry, so students never imports a higher app."""
    entries = sorted(project_app_attribute("panels", "HOME_PANELS"), key=lambda entry: entry[1])
    return [build(user) for roles, _order, build in entries if user.role in roles]


def student_dashboard(*, student: StudentProfile) -> StudentDashboard:
    radar = radar_for_student(student=student)
    strongest, weakest = _gaps(radar)
    awards = CompetitionEntry.objects.filter(student=student).aggregate(
        verified=Count("id", filter=Q(status=CompetitionEntry.Status.VERIFIED)),
        pending=Count("id", filter=Q(status=CompetitionEntry.Status.PENDING)),
    )
    position = current_tier(student=student)
    settings_obj = ResumeSettings.objects.filter(student=student).first()  # a read: no row until edited
    svg = radar_svg(
        [{"label": a.name, "value": a.attainment} for a in radar.axes], size=360,
        compare=radar.cohort_values, title=_("My competences beside the cohort average"),
    )
    return StudentDashboard(
        student=student,
        radar=radar,
        radar_svg=svg,
        area_percent=100.0 * radar.area / radar.max_area if radar.max_area else 0.0,
        strongest=strongest,
        weakest=weakest,
        points_total=points_total_for_student(student=student),
        recent_points=list(PointEntry.objects.filter(student=student).select_related("competency")
                           .order_by("-created_at", "-id")[:5]),
        position=position,
        tier_label=Tier(position.tier).label,
        awards_verified=awards["verified"],
        awards_pending=awards["pending"],
        stars=StarOfSkill.objects.filter(student=student).count(),
        resume_shared=bool(settings_obj and settings_obj.share_token),
        resume_visible_to_enterprises=bool(settings_obj and settings_obj.visible_to_enterprises),
        panels=home_panels(student.user),
    )
