"""Rankings, computed in the database.

A ranking is a group of students (school, major, cohort = major x intake year,
class) ordered by a value: points (the running balance) or, with a competency,
its attainment. Ranks are SQL RANK() (ties share a rank, the next rank skips),
percentiles PERCENT_RANK() ascending x 100 (the share of the group strictly
below you; ties share it), and rows with equal values are listed by student
number so pages are deterministic. One query per page whatever its size or the
population: the page's rows carry the group size as COUNT(*) OVER ().
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, Window
from django.db.models.functions import Coalesce, PercentRank, Rank
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import Role

from .growth_models import TermTier, Tier
from .models import StudentProfile

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


@dataclass
class RankingPage:
    entries: list[dict]
    count: int
    page: int
    page_size: int

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
        raise ApplicationError(f"scope must be one of {', '.join(SCOPES)}.", code="invalid_scope")
    if scope == "school" and user.role != Role.STUDENT:
        major = Major.objects.filter(code=params["major"]).first() if params.get("major") else None
        return RankingGroup(scope, Q(), str(_("Whole school")), major.pk if major else None)
    if user.role == Role.STUDENT:
        profile = student_profile_for(user)
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
                raise ApplicationError("Give major=<code> for this scope.", code="major_required")
            major_id = major.pk
            labels["major"] = major.display_name
            if scope == "cohort":
                try:
                    year = int(params.get("cohort", ""))
                except ValueError:
                    raise ApplicationError("Give cohort=<intake year> for this scope.", code="cohort_required") from None
                labels["cohort"] = f"{major.display_name} {year}"
        if scope == "class":
            school_class = SchoolClass.objects.filter(code=params.get("class") or "").first()
            if school_class is None:
                raise ApplicationError("Give class=<class code> for this scope.", code="class_required")
            class_id = school_class.pk
            labels["class"] = school_class.name
    if scope == "school":
        return RankingGroup(scope, Q(), str(_("Whole school")), major_id)
    if scope == "major":
        return RankingGroup(scope, Q(major_id=major_id), labels["major"], major_id)
    if scope == "cohort":
        return RankingGroup(scope, Q(major_id=major_id, intake_year=year), labels["cohort"], major_id)
    if major_id is None:
        major_id = SchoolClass.objects.filter(pk=class_id).values_list("major_id", flat=True).first()
    return RankingGroup(scope, Q(school_class_id=class_id), labels["class"], major_id)


def student_profile_for(user) -> StudentProfile:
    profile = getattr(user, "_growth_profile", None)
    if profile is None:
        profile = StudentProfile.objects.select_related("major", "school_class").filter(user=user).first()
        if profile is None:
            raise ApplicationError("This account has no student profile yet.", code="no_profile", status_code=404)
        user._growth_profile = profile
    return profile


def _annotate_value(qs, competency):
    if competency is None:
        return qs.annotate(value=Coalesce(F("point_balance__total"), Value(0), output_field=IntegerField()))
    from . import competency_values

    return competency_values.annotate_attainment(qs.filter(major_id=competency.major_id), competency)


def resolve_competency(code: str | None, *, group_major_id: int | None = None):
    """The competency for `competency=<code>`, or None for points."""
    if not code:
        return None
    from . import competency_values

    if not competency_values.available():
        raise ApplicationError(
            "Rankings by competency are not available yet: the competency attainment (radar) is not installed.",
            code="competency_rankings_unavailable",
        )
    from teachers.models import Competency

    qs = Competency.objects.filter(code=code).select_related("major")
    if group_major_id is not None:
        qs = qs.filter(major_id=group_major_id)
    competency = qs.first()
    if competency is None:
        raise ApplicationError(f"Unknown competency {code!r}.", code="unknown_competency")
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
        .values("pk", "student_number", "user_id", "value", "rank", "pct", "population")
    )


def _percentile(pct: float, population: int) -> float:
    return 100.0 if population <= 1 else round(float(pct) * 100, 1)


def ranking_page(*, group: RankingGroup, competency=None, page: int = 1, page_size: int = 50) -> RankingPage:
    from django.utils.translation import get_language

    from accounts.models import User

    from django.db import connection, transaction

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
            "rank": row["rank"],
            "student_number": row["student_number"],
            "name": name,
            "value": round(float(value), 4) if competency is not None else int(value),
            "percentile": _percentile(row["pct"], row["population"]),
        })
    return RankingPage(entries=entries, count=count, page=page, page_size=page_size)


def own_position(*, group: RankingGroup, student: StudentProfile, competency=None) -> OwnPosition:
    """The student's rank and percentile in the group: one aggregate query, the
    same definitions as RANK() and PERCENT_RANK() above."""
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
    user = student.user
    user._growth_profile = student
    result = []
    for scope in SCOPES:
        group = ranking_group_for(user=user, scope=scope)
        result.append((scope, group, own_position(group=group, student=student, competency=competency)))
    return result


def current_tier(*, student: StudentProfile) -> OwnPosition:
    """Tiers are earned within the cohort (same major and intake year), so first-years
    are not compared with graduates' larger totals."""
    group = RankingGroup("cohort", Q(major_id=student.major_id, intake_year=student.intake_year), "")
    return own_position(group=group, student=student)


def tiers_assign_for_term(*, term) -> int:
    """Snapshot every student's tier for the term from their cohort percentile.
    Idempotent: students who already have a tier for the term keep it."""
    rows = (
        StudentProfile.objects.annotate(value=Coalesce(F("point_balance__total"), Value(0)))
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


def term_tiers_for_student(*, student: StudentProfile):
    return TermTier.objects.filter(student=student).select_related("term").order_by("term__start_year", "term__number")



