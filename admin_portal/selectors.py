"""Reads for the school administrator: the queues waiting for a decision, the dashboard's
figures (through the KPI registry, accounts/dashboard.py), the construction-plan targets,
the equipment register and the audit log. Counted and grouped in the database (one
query per figure and grouping, never a row loop). admin_portal is the top layer, so it reads
every app's models; it writes only its own."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from accounts.dashboard import Figure, Kpi, Scope, kpi_registry
from accounts.errors import ApplicationError
from accounts.selectors import account_requests_pending

from .models import Booking, Equipment, Room, ServiceRecord, Target
from .targets import PLAN_YEARS, TARGET_DEFAULTS, TargetLine, target_status

FIRST_YEAR = 2020


@dataclass(frozen=True)
class WorkItem:
    label: str
    count: int
    url: str
    icon: str


def admin_work_items() -> list[WorkItem]:
    from accounts.background import task_failures_list
    from enterprises.models import Posting
    from evaluations.models import Appeal
    from projects.cohort_models import GraduationTopic
    from projects.models import Project
    from teachers.reform.models import Reform

    week_ago = timezone.now() - timedelta(days=7)
    return [
        WorkItem(_("Everything to moderate, in one place"), moderation_pending_count(),
                 reverse("admin_portal:moderation"), "check2-square"),
        WorkItem(_("Postings awaiting review"), Posting.objects.filter(status=Posting.Status.SUBMITTED).count(),
                 reverse("enterprises:moderation"), "megaphone"),
        WorkItem(_("Projects awaiting moderation"), Project.objects.filter(status=Project.Status.PENDING).count(),
                 reverse("projects:project_list") + "?status=pending", "kanban"),
        WorkItem(_("Graduation topics to approve"),
                 GraduationTopic.objects.filter(status=GraduationTopic.Status.PROPOSED).count(),
                 reverse("projects:graduation"), "mortarboard"),
        WorkItem(_("Course reforms in review"), Reform.objects.filter(status=Reform.Status.REVIEW).count(),
                 reverse("teachers:reform_list"), "journal-check"),
        WorkItem(_("Evaluation appeals to decide"), Appeal.objects.filter(status=Appeal.Status.PENDING).count(),
                 reverse("evaluations:appeals"), "chat-square-text"),
        WorkItem(_("Background tasks failed this week"),
                 task_failures_list().filter(occurred_at__gte=week_ago).count(),
                 reverse("admin_portal:background_tasks"), "exclamation-triangle"),
    ]


def moderation_pending_count() -> int:
    """Everything waiting in the moderation queue (the navigation badge): one query."""
    from enterprises.models import Posting
    from projects.cohort_models import GraduationTopic
    from projects.models import Project
    from teachers.models import Resource

    # order_by(): no ORDER BY inside the UNION's parts (SQLite refuses it; the models order by default)
    postings = Posting.objects.filter(status=Posting.Status.SUBMITTED).order_by().values("id")
    projects = Project.objects.filter(status=Project.Status.PENDING).order_by().values("id")
    topics = GraduationTopic.objects.filter(status=GraduationTopic.Status.PROPOSED).order_by().values("id")
    resources = Resource.objects.filter(status=Resource.Status.PENDING).order_by().values("id")
    account_requests = account_requests_pending().order_by().values("id")
    return postings.union(projects, topics, resources, account_requests, all=True).count()


def moderation_queues(limit: int = 50) -> list[dict]:
    """The pending items of every queue the school moderates: one count and one page query each.
    Shared resources wait here when partners upload them or a teacher shares one with everyone
    (the school's own school- and partner-visible sharing publishes at once); each links to the
    resource so that the administrator opens or downloads it before deciding."""
    from enterprises.models import Posting
    from projects.cohort_models import GraduationTopic
    from projects.models import Project
    from teachers.models import Resource

    postings = Posting.objects.filter(status=Posting.Status.SUBMITTED).select_related("organization")
    projects = Project.objects.filter(status=Project.Status.PENDING).select_related("enterprise")
    topics = GraduationTopic.objects.filter(status=GraduationTopic.Status.PROPOSED)
    resources = Resource.objects.filter(status=Resource.Status.PENDING)
    account_requests = account_requests_pending()
    return [
        {"kind": "posting", "anchor": "postings", "label": _("Postings awaiting review"), "count": postings.count(),
         "items": [{"id": p.pk, "title": p.title, "by": p.organization.name, "when": p.created_at}
                   for p in postings.order_by("created_at")[:limit]]},
        {"kind": "project", "anchor": "projects", "label": _("Projects awaiting moderation"), "count": projects.count(),
         "items": [{"id": p.pk, "title": p.display_title,
                    "by": p.enterprise.name, "when": p.created_at} for p in projects.order_by("created_at")[:limit]]},
        {"kind": "topic", "anchor": "topics", "label": _("Graduation topics to approve"), "count": topics.count(),
         "items": [{"id": t.pk, "title": t.display_title, "by": t.major.display_name, "when": t.created_at}
                   for t in topics.select_related("major").order_by("created_at")[:limit]]},
        {"kind": "resource", "anchor": "resources", "label": _("Resources awaiting review"),
         "count": resources.count(),
         "items": [{"id": r.pk, "title": r.title, "by": r.uploaded_by.name_for_display, "when": r.created_at,
                    "url": reverse("teachers:resource_detail", args=[r.pk])}
                   for r in resources.select_related("uploaded_by").order_by("created_at")[:limit]]},
        {"kind": "account", "anchor": "accounts", "label": _("Account requests to review"),
         "count": account_requests.count(),
         "items": [{"id": a.pk, "title": f"{a.full_name} · {a.get_role_display()}",
                    "by": a.organization_name or a.email, "when": a.created_at,
                    "details": {"email": a.email, "phone": a.phone, "role": a.get_role_display(),
                                "organization": a.organization_name, "message": a.message}}
                   for a in account_requests[:limit]]},
    ]


# --- the dashboard -----------------------------------------------------------------------------

def dashboard_years(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year + 1, FIRST_YEAR - 1, -1))


def majors() -> list:
    from teachers.models import Major

    return list(Major.objects.order_by("code"))


def scope_from_params(params, *, default_year: int | None = None) -> Scope:
    """A Scope from ?year=&major=&class= (ApplicationError 400 with field errors when unknown)."""
    from teachers.models import Major, SchoolClass

    errors: dict[str, list[str]] = {}
    raw_year = (params.get("year") or "").strip()
    year = default_year or timezone.localdate().year
    if raw_year:
        try:
            year = int(raw_year)
        except ValueError:
            year = None
        if year not in dashboard_years():
            errors["year"] = [_gettext("Unknown year.")]
    major_code = (params.get("major") or "").strip() or None
    if major_code and not Major.objects.filter(code=major_code).exists():
        errors["major"] = [_gettext("Unknown major.")]
    class_id = None
    raw_class = (params.get("class") or "").strip()
    if raw_class:
        klass = SchoolClass.objects.filter(pk=int(raw_class)).select_related("major").first() \
            if raw_class.isdigit() else None
        if klass is None or (major_code and klass.major.code != major_code):
            errors["class"] = [_gettext("Unknown class.")]
        else:
            class_id = klass.pk
            major_code = klass.major.code
    if errors:
        raise ApplicationError(_gettext("Unknown year, major or class."), code="invalid", extra=errors)
    return Scope(year=year, major_code=major_code, class_id=class_id)


def _cache_seconds() -> int:
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 300))


def _figures_key(kpi: Kpi, scope: Scope, group_by) -> tuple[Scope, Any, str | None]:
    """(scope, group_by) as computed for the KPI, and its cache key (None: nothing to compute)."""
    if kpi.school_wide_only:
        if group_by is not None:
            return scope, group_by, None
        scope = Scope(year=scope.year)
    # Breakdown labels are translated: one cache entry per language.
    return scope, group_by, (f"dashboard:v1:{get_language()}:{kpi.code}:{scope.year}:{scope.major_code}:"
                             f"{scope.class_id}:{group_by}")


def kpi_figures(kpi: Kpi, scope: Scope, group_by=None, *, refresh: bool = False) -> dict[Any, Figure]:
    """The KPI's figures, cached a while (DASHBOARD_CACHE_SECONDS, 300 s by default; beat recomputes them): the
    dashboard is near real time and its figures cost a handful of GROUP BY queries each."""
    return kpi_figures_many([(kpi, scope, group_by)], refresh=refresh)[0]


def kpi_figures_many(wanted: list[tuple[Kpi, Scope, Any]], *, refresh: bool = False) -> list[dict[Any, Figure]]:
    """Several KPIs' figures, in order: the cached ones in one cache round trip, the missing ones
    computed side by side (`_side_by_side`) and cached. A cold school-wide page needs about 40
    figure sets, each one or two GROUP BY queries over the year's rows."""
    seconds = _cache_seconds()
    jobs = [_figures_key(kpi, scope, group_by) for kpi, scope, group_by in wanted]
    keys = [key for _scope, _group, key in jobs if key is not None]
    found = cache.get_many(keys) if seconds > 0 and not refresh and keys else {}
    results: list[dict[Any, Figure] | None] = [
        {} if key is None else found.get(key) for _scope, _group, key in jobs]
    missing = [i for i, result in enumerate(results) if result is None]
    calls = _figure_calls(wanted, jobs, missing)
    computed = _side_by_side([(function, scope, group_by) for function, scope, group_by, _targets in calls])
    for (_function, _scope, _group_by, targets), figures in zip(calls, computed, strict=True):
        for i, part in targets:
            results[i] = figures if part is None else figures[part]
    if seconds > 0 and missing:
        cache.set_many({jobs[i][2]: results[i] for i in missing}, seconds)
    return results  # type: ignore[return-value]


def _figure_calls(wanted, jobs, missing: list[int]) -> list[tuple[Any, Scope, Any, list[tuple[int, int | None]]]]:
    """The computations for the missing figure sets: [(function, scope, group_by, [(index, part)])].
    A KPI with `figures_with_groups` whose scope figure and group figures are both missing gets
    one call for the two (part 0: the scope's, 1: the groups')."""
    calls = []
    left = list(missing)
    while left:
        i = left.pop(0)
        kpi = wanted[i][0]
        scope, group_by, _key = jobs[i]
        if kpi.figures_with_groups is not None:
            partner = next((j for j in left if wanted[j][0] is kpi and jobs[j][0] == scope
                            and (jobs[j][1] is None) != (group_by is None)), None)
            if partner is not None:
                left.remove(partner)
                total, groups = (i, partner) if group_by is None else (partner, i)
                calls.append((kpi.figures_with_groups, scope, jobs[groups][1], [(total, 0), (groups, 1)]))
                continue
        calls.append((kpi.figures, scope, group_by, [(i, None)]))
    return calls


def _side_by_side(calls: list[tuple[Any, Scope, Any]]) -> list[Any]:
    """Run `function(scope, group_by)` for each call, on up to DASHBOARD_QUERY_WORKERS threads with
    a database connection each (PostgreSQL runs the aggregates on several cores), in the caller's
    language. In order, one after another, where that cannot help or would be wrong: one call,
    SQLite (one writer, no parallel readers to gain), or inside a transaction, whose uncommitted
    rows other connections cannot see."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections
    from django.utils import translation

    workers = min(int(getattr(settings, "DASHBOARD_QUERY_WORKERS", 4)), len(calls))
    if workers <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return [function(scope, group_by) for function, scope, group_by in calls]
    language = get_language()

    def run(call):
        function, scope, group_by = call
        try:
            with translation.override(language):
                return function(scope, group_by)
        finally:
            connections.close_all()  # this thread's connections: the pool's threads end with the call

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dashboard-figures") as pool:
        return list(pool.map(run, calls))


@dataclass
class KpiCard:
    kpi: Kpi
    figure: Figure | None
    school_wide: bool
    groups: dict[Any, Figure] = field(default_factory=dict)

    @property
    def display(self) -> str:
        return format_value(self.figure.value if self.figure else None, self.kpi.unit)


def format_value(value, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "rate":
        return f"{value * 100:.1f} %"
    if unit in ("score",):
        return f"{value:.3f}" if value <= 1 else f"{value:.1f}"
    if unit == "money":
        return f"{value:,.0f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def dashboard_cards(scope: Scope, *, teacher_view: bool = False, with_groups: bool = True) -> list[KpiCard]:
    """Every KPI's card for the scope. School-wide-only figures show the school's figure (and are left
    out of a head teacher's class view). With `with_groups`, each groupable figure also comes per
    major (school-wide scope) or per class (a major's scope)."""
    group_by = None if scope.class_id else ("class" if scope.major_code else "major")
    kpis = [kpi for kpi in kpi_registry().values() if not (kpi.school_wide_only and teacher_view)]
    grouped = bool(with_groups and group_by)
    wanted = [(kpi, scope, None) for kpi in kpis] + [(kpi, scope, group_by) for kpi in kpis if grouped]
    figures = kpi_figures_many(wanted)
    totals, groups = figures[:len(kpis)], iter(figures[len(kpis):])
    return [KpiCard(kpi=kpi, figure=total.get(None), school_wide=kpi.school_wide_only,
                    groups=next(groups) if grouped else {})
            for kpi, total in zip(kpis, totals, strict=True)]


def group_labels(scope: Scope) -> tuple[str | None, dict[Any, str]]:
    """The drill-down level below the scope and the labels of its groups."""
    from teachers.models import Major, SchoolClass

    if scope.class_id:
        return None, {}
    if scope.major_code:
        classes = SchoolClass.objects.filter(major__code=scope.major_code).order_by("-intake_year", "code")
        return "class", dict(classes.values_list("pk", "name"))
    return "major", {m.code: m.display_name for m in Major.objects.order_by("code")}


def kpi_drilldown(kpi: Kpi, scope: Scope) -> dict:
    """The rows behind a figure: per major (school-wide), per class (a major) or per student (a class)."""
    level, labels = group_labels(scope)
    if kpi.school_wide_only:
        return {"level": None, "groups": [], "rows": [], "figure": kpi_figures(kpi, scope).get(None)}
    figure = kpi_figures(kpi, scope).get(None)
    if level is None:
        return {"level": "student", "groups": [], "rows": kpi.rows(scope) if kpi.rows else [], "figure": figure}
    figures = kpi_figures(kpi, scope, level)
    groups = [{"key": key, "label": label, "figure": figures.get(key)} for key, label in labels.items()]
    groups += [{"key": key, "label": str(key), "figure": f} for key, f in figures.items() if key not in labels]
    return {"level": level, "groups": groups, "rows": [], "figure": figure}


def dashboard_figures_warm(year: int | None = None) -> int:
    """Compute and cache the figures the dashboard opens with (the year's school-wide figures, per
    major, and each major's per class) in every language, so that administrators rarely wait
    for a cold computation. Run by beat a little more often than the cache expires."""
    from django.utils import translation

    year = year or timezone.localdate().year
    scopes = [(Scope(year=year), None), (Scope(year=year), "major")]
    scopes += [(Scope(year=year, major_code=m.code), g) for m in majors() for g in (None, "class")]
    computed = 0
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            wanted = [(kpi, scope, group_by) for kpi in kpi_registry().values() for scope, group_by in scopes
                      if not (kpi.school_wide_only and (group_by or scope.major_code))]
            kpi_figures_many(wanted, refresh=True)
            computed += len(wanted)
    return computed


def kpi_values(scope: Scope) -> dict[str, float | None]:
    """{code: value} of every KPI for the API (school-wide-only figures are the school's)."""
    kpis = kpi_registry()
    figures = kpi_figures_many([(kpi, scope, None) for kpi in kpis.values()])
    return {code: (found.get(None) or Figure(value=None)).value for code, found in zip(kpis, figures, strict=True)}


# --- targets -----------------------------------------------------------------------------------

def target_codes() -> list[str]:
    codes = list(TARGET_DEFAULTS)
    codes += sorted(set(Target.objects.values_list("code", flat=True).distinct()) - set(codes))
    return codes


def target_name(code: str):
    if code in TARGET_DEFAULTS:
        return TARGET_DEFAULTS[code][1]
    kpi = kpi_registry().get(code)
    return kpi.name if kpi else code


def target_unit(code: str) -> str:
    if code in TARGET_DEFAULTS:
        return TARGET_DEFAULTS[code][0]
    kpi = kpi_registry().get(code)
    return kpi.unit if kpi else "count"


def target_actual(code: str, year: int) -> float | None:
    kpi = kpi_registry().get(code)
    if kpi is None:
        return None
    figure = kpi_figures(kpi, Scope(year=year)).get(None)
    return figure.value if figure else None


def targets_for_year(year: int, *, today: datetime.date | None = None) -> list[TargetLine]:
    """The year's targets: stored records, else the plan's default for a plan year."""
    today = today or timezone.localdate()
    stored = {t.code: t for t in Target.objects.filter(year=year)}
    lines = []
    for code in target_codes():
        record = stored.get(code)
        if record is None:
            default = TARGET_DEFAULTS.get(code, (None, None, {}))[2].get(year)
            if default is None:
                continue
            value, unit, pk = float(default), target_unit(code), None
        else:
            value, unit, pk = float(record.value), record.unit, record.pk
        actual = target_actual(code, year)
        lines.append(TargetLine(id=pk, year=year, code=code, name=str(target_name(code)), target=value, actual=actual,
                                unit=unit, status=target_status(target=value, actual=actual, unit=unit, year=year,
                                                                today=today)))
    return lines


def targets_trend(*, today: datetime.date | None = None) -> dict[str, Any]:
    """Target and actual of every target over the plan's years (the trend chart's data)."""
    by_year = {year: targets_for_year(year, today=today) for year in PLAN_YEARS}
    series: dict[str, dict] = {}
    for year in PLAN_YEARS:
        for line in by_year[year]:
            s = series.setdefault(line.code, {"code": line.code, "name": line.name, "unit": line.unit,
                                              "target": [None] * len(PLAN_YEARS), "actual": [None] * len(PLAN_YEARS)})
            i = PLAN_YEARS.index(year)
            s["target"][i] = line.target
            s["actual"][i] = line.actual
    return {"years": list(PLAN_YEARS), "series": list(series.values()), "by_year": by_year}


# --- equipment -----------------------------------------------------------------------------------

def rooms_with_utilisation(year: int) -> list[dict]:
    """Each room with its booked minutes in the year and utilisation (booked / bookable), one query."""
    from .dashboard import TEACHING_WEEKS

    equipment = (Equipment.objects.filter(room=OuterRef("pk")).order_by().values("room")
                 .annotate(n=Count("id")).values("n"))
    rooms = (Room.objects.order_by("code")
             .annotate(booked=Sum("bookings__minutes", filter=Q(bookings__starts_at__year=year)),
                       bookings_count=Count("bookings", filter=Q(bookings__starts_at__year=year)),
                       equipment_items=Subquery(equipment)))
    out = []
    for room in rooms:
        capacity = room.weekly_hours * TEACHING_WEEKS * 60
        booked = room.booked or 0
        out.append({"room": room, "booked_hours": booked / 60, "bookings": room.bookings_count,
                    "equipment": room.equipment_items or 0,
                    "utilisation": (booked / capacity) if capacity else None})
    return out


def equipment_list():
    return Equipment.objects.select_related("room").order_by("room__code", "asset_code")


def bookings_list(*, user=None, year: int | None = None):
    qs = Booking.objects.select_related("room", "booked_by", "school_class", "studio").order_by("-starts_at")
    if year:
        qs = qs.filter(starts_at__year=year)
    if user is not None and user.role != "school_admin":
        qs = qs.filter(booked_by=user)
    return qs


def bookable_targets_for(user) -> tuple[Any, Any]:
    """(classes, studios) a user may book a room for: a school administrator any; a teacher the
    classes they head or teach and the studios they lead."""
    from projects.models import Studio, StudioMember
    from teachers.models import SchoolClass

    classes = SchoolClass.objects.order_by("-intake_year", "code")
    studios = Studio.objects.order_by("code")
    if user.role != "school_admin":
        classes = classes.filter(Q(head_teacher=user) | Q(offerings__teacher=user)).distinct()
        studios = studios.filter(members__user=user, members__role=StudioMember.Role.LEAD,
                                 members__status=StudioMember.Status.ADMITTED).distinct()
    return classes, studios


def service_records(year: int | None = None):
    qs = ServiceRecord.objects.select_related("teacher", "enterprise").order_by("-provided_on", "-id")
    if year:
        qs = qs.filter(provided_on__year=year)
    return qs


# --- audit log ------------------------------------------------------------------------------------

def audit_log_filtered(*, actor: str = "", action: str = "", target: str = "", date_from=None, date_to=None):
    """The audit log, newest first, filtered by actor (username, contains), action (prefix),
    target ("type" or "type:id") and a date range (inclusive, local dates)."""
    from accounts.models import AuditLog

    qs = AuditLog.objects.select_related("actor").order_by("-created_at", "-id")
    if actor:
        qs = qs.filter(actor__username__icontains=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if target:
        target_type, _sep, target_id = target.partition(":")
        qs = qs.filter(target_type=target_type)
        if target_id:
            qs = qs.filter(target_id=target_id)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs
