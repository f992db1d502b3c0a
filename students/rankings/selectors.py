"""Rankings, precomputed in a rank table.

A ranking is a group of students (school, major, cohort = major x intake year,
class) ordered by a value: points (the running balance) or, with a competency,
its attainment. Ranks are SQL RANK() (ties share a rank, the next rank skips),
percentiles PERCENT_RANK() ascending x 100 (the share of the group strictly
below you; ties share it), and rows with equal values are listed by student
number so pages are deterministic.

`rankings_refresh(metric=)` computes those windows for every scope at once and
upserts `RankingEntry` (one row per metric x student, only the rows that changed
are written). A page is then an index range scan on (metric, group, position) and a
student's own place one row by (metric, student), whatever the population. Grants
and radar recomputes ask for a refresh after commit (`rankings_refresh_request`):
a debounced Celery task on the `default` queue, so a change shows within
RANKINGS_REFRESH_DELAY seconds plus the refresh itself; the page says when its
ranking was computed. Until a metric has been refreshed once, pages fall back to
the live window query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, F, FilteredRelation, FloatField, IntegerField, Q, QuerySet, Value, Window
from django.db.models.functions import Coalesce, PercentRank, Rank
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import Role
from teachers.selectors import user_can_view_class

from ..profiles.models import StudentProfile
from ..profiles.selectors import student_profile_for_user, student_visibility_for
from .models import RankingEntry, RankingRefresh, TermTier, Tier

SCOPES = ("school", "major", "cohort", "class")
SCOPE_LABELS = {"school": _("School"), "major": _("Major"), "cohort": _("Cohort"), "class": _("Class")}

# Lower bounds of percentile for each tier, highest first.
TIER_THRESHOLDS: list[tuple[float, str]] = [
    (99.0, Tier.KING), (95.0, Tier.DIAMOND), (85.0, Tier.PLATINUM), (65.0, Tier.GOLD), (35.0, Tier.SILVER),
    (0.0, Tier.BRONZE),
]


def tier_for_percentile(percentile: float) -> str:
    for bound, tier in TIER_THRESHOLDS:
        if percentile >= bound:
            return tier
    return Tier.BRONZE


@dataclass(frozen=True)
class RankingGroup:
    scope: str
    filter: Q
    label: str
    major_id: int | None = None
    intake_year: int | None = None
    class_id: int | None = None


@dataclass
class RankingPage:
    entries: list[dict]
    count: int
    page: int
    page_size: int
    refreshed_at: datetime | None = None

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass
class OwnPosition:
    rank: int
    value: float
    percentile: float
    population: int

    @property
    def tier(self) -> str:
        return tier_for_percentile(self.percentile)


def ranking_group_for(*, user, scope: str, params: dict | None = None) -> RankingGroup:
    """The group a user asks for. Students always get their own major/cohort/class;
    teachers and school admins name the group (`major=<code>`, `cohort=<year>`, `class=<code>`)."""
    from teachers.models import Major, SchoolClass

    params = params or {}
    if scope not in SCOPES:
        raise ApplicationError(_("The scope must be one of %(scopes)s.") % {"scopes": ", ".join(SCOPES)},
                               code="invalid_scope")
    if scope == "school" and user.role != Role.STUDENT:
        major = Major.objects.filter(code=params["major"]).first() if params.get("major") else None
        return RankingGroup(scope, Q(), str(_("Whole school")), major.pk if major else None)
    if user.role == Role.STUDENT:
        profile = student_profile_for_user(user=user)
        major_id, year, class_id = profile.major_id, profile.intake_year, profile.school_class_id
        labels = {"major": profile.major.display_name, "cohort": f"{profile.major.display_name} {year}",
                  "class": profile.school_class.name}
    else:
        major_id = year = class_id = None
        labels = {}
        if scope in ("major", "cohort"):
            code = params.get("major")
            major = Major.objects.filter(code=code).first() if code else None
            if major is None:
                raise ApplicationError(_("Choose a major for this scope."), code="major_required")
            major_id = major.pk
            labels["major"] = major.display_name
            if scope == "cohort":
                try:
                    year = int(params.get("cohort", ""))
                except ValueError:
                    raise ApplicationError(_("Choose a cohort (intake year) for this scope."), code="cohort_required") from None
                labels["cohort"] = f"{major.display_name} {year}"
        if scope == "class":
            code = params.get("class") or ""
            if not code:
                raise ApplicationError(_("Choose a class for this scope."), code="class_required")
            school_class = SchoolClass.objects.filter(code=code).first()
            # A teacher ranks the classes they head or teach, as the radar allows. A class
            # they may not see gets the answer of one that does not exist (no existence oracle).
            if school_class is None or not user_can_view_class(user=user, school_class_id=school_class.pk):
                raise ApplicationError(_("No such class among yours."), code="class_not_found", status_code=404)
            class_id = school_class.pk
            labels["class"] = school_class.name
    if scope == "school":
        return RankingGroup(scope, Q(), str(_("Whole school")), major_id)
    if scope == "major":
        return RankingGroup(scope, Q(major_id=major_id), labels["major"], major_id)
    if scope == "cohort":
        return RankingGroup(scope, Q(major_id=major_id, intake_year=year), labels["cohort"], major_id, year)
    if major_id is None:
        major_id = SchoolClass.objects.filter(pk=class_id).values_list("major_id", flat=True).first()
    return RankingGroup(scope, Q(school_class_id=class_id), labels["class"], major_id, class_id=class_id)


FILTER_PARAMS = ("competency", "major", "cohort", "class")


@dataclass
class FilterOptions:
    """What the rankings page offers to choose from. Students rank within their own
    groups, so they choose only the competency (of their major)."""

    competencies: list[tuple[str, list[tuple[str, str]]]]  # (major label, [(code, name)])
    majors: list[tuple[str, str]]
    cohorts: list[int]
    classes: list[tuple[str, str]]


def ranking_filter_options(*, user, major_code: str = "") -> FilterOptions:
    """Choices for the rankings page's selectors (four small queries at most)."""
    from teachers.models import Competency, Major, SchoolClass

    competencies = Competency.objects.select_related("major").order_by("major__code", "order", "code")
    if user.role == Role.STUDENT:
        profile = student_profile_for_user(user=user)
        competencies = competencies.filter(major_id=profile.major_id)
        majors, cohorts, classes = [], [], []
    else:
        majors = [(m.code, m.display_name) for m in Major.objects.order_by("code")]
        class_qs = SchoolClass.objects.order_by("-intake_year", "code")
        if major_code:
            competencies = competencies.filter(major__code=major_code)
            class_qs = class_qs.filter(major__code=major_code)
        class_rows = list(class_qs.values_list("code", "name", "intake_year"))
        classes = [(code, name) for code, name, _year in class_rows]
        cohorts = sorted({year for _code, _name, year in class_rows}, reverse=True)
    grouped: dict[str, list[tuple[str, str]]] = {}
    for competency in competencies:
        grouped.setdefault(competency.major.display_name, []).append((competency.code, competency.display_name))
    return FilterOptions(competencies=list(grouped.items()), majors=majors, cohorts=cohorts, classes=classes)


def _annotate_value(qs, competency):
    """The ranked value: the point balance, or the competency's stored attainment (a LEFT
    JOIN of its one row; students without one count as 0)."""
    if competency is None:
        return qs.annotate(value=Coalesce(F("point_balance__total"), Value(0), output_field=IntegerField()))
    return qs.filter(major_id=competency.major_id).annotate(
        _att=FilteredRelation("attainments", condition=Q(attainments__competency_id=competency.pk))
    ).annotate(value=Coalesce(F("_att__attainment"), Value(0.0), output_field=FloatField()))


def resolve_competency(code: str | None, *, group_major_id: int | None = None):
    """The competency for `competency=<code>`, or None for points."""
    if not code:
        return None
    from teachers.models import Competency

    qs = Competency.objects.filter(code=code).select_related("major")
    if group_major_id is not None:
        qs = qs.filter(major_id=group_major_id)
    competency = qs.first()
    if competency is None:
        raise ApplicationError(_("Unknown competency %(code)s.") % {"code": code}, code="unknown_competency")
    return competency


def ranking_rows(*, group: RankingGroup, competency=None) -> QuerySet:
    """The whole ranked group as a lazy queryset of dicts (slice it to paginate).

    RANK() over value descending, PERCENT_RANK() over value ascending (the share of
    the others strictly below) and COUNT(*) OVER () for the group size. Rows are
    narrow (no names joined): names are fetched for the page's rows only. (CUME_DIST
    on one shared ordering was tried: PostgreSQL 15 evaluates it per peer group and
    it was twice as slow with many ties.)"""
    qs = _annotate_value(StudentProfile.objects.filter(group.filter), competency)
    return (
        qs.annotate(
            rank=Window(Rank(), order_by=F("value").desc()),
            pct=Window(PercentRank(), order_by=F("value").asc()),
            population=Window(Count("pk")),
        )
        .order_by("-value", "student_number")
        .values("pk", "student_number", "user_id", "school_class_id", "value", "rank", "pct", "population")
    )


def _percentile(pct: float, population: int) -> float:
    return 100.0 if population <= 1 else round(float(pct) * 100, 1)


def _ranking_page_live(*, group: RankingGroup, competency=None, page: int = 1, page_size: int = 50) -> RankingPage:
    """The page straight from the window query (O(group) per request): only until the
    metric's first refresh."""
    from django.utils.translation import get_language

    from accounts.models import User

    page = max(1, page)
    offset = (page - 1) * page_size
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The windows sort the whole group; keep a school-sized sort in memory.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '32MB'")
        rows = list(ranking_rows(group=group, competency=competency)[offset: offset + page_size])
    if rows:
        count = rows[0]["population"]
    elif page == 1:
        count = 0
    else:
        count = StudentProfile.objects.filter(group.filter).count()
    names = {u["pk"]: u for u in User.objects.filter(pk__in=[r["user_id"] for r in rows])
             .values("pk", "username", "display_name", "display_name_en")} if rows else {}
    english = (get_language() or "").startswith("en")
    entries = []
    for row in rows:
        user = names.get(row["user_id"], {})
        name = (user.get("display_name_en") if english and user.get("display_name_en") else
                user.get("display_name") or user.get("display_name_en") or user.get("username", ""))
        value = row["value"]
        entries.append({
            "student_id": row["pk"],
            "user_id": row["user_id"],
            "school_class_id": row["school_class_id"],
            "rank": row["rank"],
            "student_number": row["student_number"],
            "name": name,
            "value": round(float(value), 4) if competency is not None else int(value),
            "percentile": _percentile(row["pct"], row["population"]),
        })
    return RankingPage(entries=entries, count=count, page=page, page_size=page_size)


def _own_position_live(*, group: RankingGroup, student: StudentProfile, competency=None) -> OwnPosition:
    """The student's rank and percentile in the group: one aggregate query, the
    same definitions as RANK() and PERCENT_RANK() above. Used for a student the rank
    table does not hold yet (created or moved since the last refresh)."""
    qs = _annotate_value(StudentProfile.objects.filter(group.filter), competency)
    mine = qs.filter(pk=student.pk).values_list("value", flat=True).first()
    if mine is None:
        mine = 0
    agg = qs.aggregate(n=Count("pk"), higher=Count("pk", filter=Q(value__gt=mine)),
                       lower=Count("pk", filter=Q(value__lt=mine)))
    n = agg["n"] or 1
    percentile = 100.0 if n <= 1 else round(100.0 * agg["lower"] / (n - 1), 1)
    return OwnPosition(rank=agg["higher"] + 1, value=mine, percentile=percentile, population=n)


def own_positions_all_scopes(*, student: StudentProfile, competency=None) -> list[tuple[str, RankingGroup, OwnPosition]]:
    """The student's place in every scope: one row of the rank table."""
    user = student.user
    user._student_profile = student
    row = _own_row(metric=metric_for(competency), student=student)
    result = []
    for scope in SCOPES:
        group = ranking_group_for(user=user, scope=scope)
        result.append((scope, group, _own_from_row(row, group=group, student=student, competency=competency)))
    return result


def current_tier(*, student: StudentProfile) -> OwnPosition:
    """Tiers are earned within the cohort (same major and intake year), so first-years
    are not compared with graduates' larger totals."""
    group = RankingGroup("cohort", Q(major_id=student.major_id, intake_year=student.intake_year), "",
                         student.major_id, student.intake_year)
    return own_position(group=group, student=student)


def term_tiers_for_student(*, student: StudentProfile):
    return TermTier.objects.filter(student=student).select_related("term").order_by("term__start_year", "term__number")


# --- the rank table ------------------------------------------------------------

POINTS_METRIC = "points"
_SCOPE_FILTER_FIELDS = {"school": (), "major": ("major_id",), "cohort": ("major_id", "intake_year"),
                        "class": ("school_class_id",)}
_PARTITIONS = {"school": "", "major": "PARTITION BY major_id", "cohort": "PARTITION BY major_id, intake_year",
               "class": "PARTITION BY school_class_id"}
_SCOPE_COLUMNS = [f"{scope}_{part}" for scope in SCOPES for part in ("rank", "position", "pct", "population")]
_ROW_COLUMNS = ["user_id", "student_number", "major_id", "intake_year", "school_class_id", "value", *_SCOPE_COLUMNS]


def metric_for(competency) -> str:
    return POINTS_METRIC if competency is None else f"competency:{competency.pk}"


def _group_filter(group: RankingGroup) -> dict:
    values = {"major_id": group.major_id, "intake_year": group.intake_year, "school_class_id": group.class_id}
    return {field: values[field] for field in _SCOPE_FILTER_FIELDS[group.scope]}


def _display_name(row: dict, english: bool) -> str:
    if english and row.get("user__display_name_en"):
        return row["user__display_name_en"]
    return row.get("user__display_name") or row.get("user__display_name_en") or row.get("user__username", "")


def ranking_page(*, group: RankingGroup, competency=None, page: int = 1, page_size: int = 50) -> RankingPage:
    """One page of the group from the rank table: positions (offset, offset + size]
    of the group's index, names joined for those rows only. Two queries (when the
    metric was refreshed, the page) whatever the page or the population."""
    from django.utils.translation import get_language

    metric = metric_for(competency)
    refreshed_at = RankingRefresh.objects.filter(metric=metric).values_list("refreshed_at", flat=True).first()
    if refreshed_at is None:
        from .services import rankings_refresh_request

        rankings_refresh_request(metric=metric)
        return _ranking_page_live(group=group, competency=competency, page=page, page_size=page_size)
    page = max(1, page)
    offset = (page - 1) * page_size
    scope = group.scope
    position = f"{scope}_position"
    rows = list(
        RankingEntry.objects.filter(metric=metric, **_group_filter(group),
                                    **{f"{position}__gt": offset, f"{position}__lte": offset + page_size})
        .order_by(position)
        .values("student_id", "user_id", "school_class_id", "student_number", "value", f"{scope}_rank", f"{scope}_pct",
                f"{scope}_population",
                "user__username", "user__display_name", "user__display_name_en")
    )
    if rows:
        count = rows[0][f"{scope}_population"]
    elif page == 1:
        count = 0
    else:  # past the end: the group's size from its first row (an index lookup)
        count = (RankingEntry.objects.filter(metric=metric, **_group_filter(group), **{position: 1})
                 .values_list(f"{scope}_population", flat=True).first() or 0)
    english = (get_language() or "").startswith("en")
    entries = [{
        "student_id": row["student_id"],
        "user_id": row["user_id"],
        "school_class_id": row["school_class_id"],
        "rank": row[f"{scope}_rank"],
        "student_number": row["student_number"],
        "name": _display_name(row, english),
        "value": round(float(row["value"]), 4) if competency is not None else int(row["value"]),
        "percentile": _percentile(row[f"{scope}_pct"], row[f"{scope}_population"]),
    } for row in rows]
    return RankingPage(entries=entries, count=count, page=page, page_size=page_size, refreshed_at=refreshed_at)


def ranking_page_for_user(*, user, group: RankingGroup, competency=None, page: int = 1,
                          page_size: int = 50) -> RankingPage:
    """A page as this user may see it. Attainment is a grade record: a competency
    ranking shows every rank and percentile, but the value only of the students whose
    radar the user may see (profiles.selectors.student_visibility_for, the radar's
    rule): a student sees their own, a teacher their classes'. Points stay public."""
    result = ranking_page(group=group, competency=competency, page=page, page_size=page_size)
    if competency is not None:
        visible = student_visibility_for(user=user)
        for entry in result.entries:
            if not visible(entry["user_id"], entry["school_class_id"]):
                entry["value"] = None
    return result


def _own_row(*, metric: str, student: StudentProfile) -> dict | None:
    return RankingEntry.objects.filter(metric=metric, student_id=student.pk).values(*_ROW_COLUMNS).first()


def _own_from_row(row: dict | None, *, group: RankingGroup, student: StudentProfile, competency) -> OwnPosition:
    scope = group.scope
    if row is None or any(row[field] != value for field, value in _group_filter(group).items()):
        # Not in the table yet (new, or moved since the last refresh): compute it live.
        return _own_position_live(group=group, student=student, competency=competency)
    value = round(float(row["value"]), 4) if competency is not None else int(row["value"])
    population = row[f"{scope}_population"]
    return OwnPosition(rank=row[f"{scope}_rank"], value=value,
                       percentile=_percentile(row[f"{scope}_pct"], population), population=population)


def own_position(*, group: RankingGroup, student: StudentProfile, competency=None) -> OwnPosition:
    """The student's rank and percentile in the group: one row of the rank table."""
    row = _own_row(metric=metric_for(competency), student=student)
    return _own_from_row(row, group=group, student=student, competency=competency)


