"""Demand vs supply (issue 14 item 6): per major and year, the competencies that talent
demand and postings require, weighted by headcount, against the radar distribution of
the cohort that graduates that year, with employers' feedback ratings beside them.

For competency k of major m in year Y (docs/careers.md#demand-vs-supply):

    H_k     = Σ headcount of the demand rows (TalentDemand.year = Y) and of the postings
              (published in Y, published/closed/expired) that require k
    level_k = Σ headcount · minimum / H_k          demanded attainment (0..1)
    share_k = H_k / Σ headcount of all demand and postings of m in Y
    supply  = the cohort of intake year Y − PROGRAM_YEARS: mean attainment, its five
              buckets and the share of students at or above level_k
    gap_k   = level_k − mean_k           (positive: the cohort falls short)
    weight  = share_k · max(gap_k, 0)    the largest gaps are ranked by it

Every figure is an aggregate in SQL: demand, postings and feedback per (year,
competency), the cohorts from the candidate vectors (one row per student) per intake
year: a constant number of queries whatever the number of students and postings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast, ExtractYear

from teachers.models import Competency, Major

from .careers.models import PROGRAM_YEARS
from .careers.selectors import feedback_by_competency_years
from .models import CandidateVector, DemandRequirement, Posting, PostingRequirement
from .vectors import axes_by_major, vectors_ensure

POSTING_STATUSES = (Posting.Status.PUBLISHED, Posting.Status.CLOSED, Posting.Status.EXPIRED)
LARGEST_GAPS = 3
# The two scans that grow with the data (postings' requirements, the cohorts' vectors)
# are kept this long: the candidate vectors themselves are checked against the radar
# once a minute (enterprises.vectors.CHECK_EVERY), and a new posting or demand row may
# show a minute late in an analysis read by planners, not by its author.
CACHE_SECONDS = 60


def _cached(key: str, compute):
    from django.core.cache import cache

    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


@dataclass
class CompetencyRow:
    code: str
    name: str
    headcount: int = 0
    level: float | None = None
    share: float = 0.0
    mean: float | None = None
    meeting_share: float | None = None
    bins: tuple[int, ...] = ()
    feedback: float | None = None
    feedback_count: int = 0

    @property
    def gap(self) -> float | None:
        if self.level is None or self.mean is None:
            return None
        return self.level - self.mean

    @property
    def weight(self) -> float:
        gap = self.gap
        return self.share * max(gap, 0.0) if gap is not None else 0.0


@dataclass
class DemandSupply:
    major: Major
    year: int
    intake_year: int
    students: int
    headcount: int
    rows: list[CompetencyRow]
    largest_gaps: list[CompetencyRow]
    trend: dict = field(default_factory=dict)  # {"years": [...], "series": [{"code", "name", "gaps": [...]}]}


def _demand_by_year(major_id: int, years: list[int] | None) -> dict[int, dict[int, tuple[float, float]]]:
    """{year: {competency id: (Σ headcount, Σ headcount·minimum)}} of demand and postings."""
    if years is None:
        return _cached(f"careers:demand-by-year:v1:{major_id}", lambda: _demand_by_year_query(major_id, None))
    return _demand_by_year_query(major_id, years)


def _demand_by_year_query(major_id: int, years: list[int] | None) -> dict[int, dict[int, tuple[float, float]]]:
    out: dict[int, dict[int, list[float]]] = {}
    demand = DemandRequirement.objects.filter(demand__major_id=major_id)
    if years is not None:
        demand = demand.filter(demand__year__in=years)
    hc = Cast(F("demand__headcount"), FloatField())
    for year, cid, h, hm in (demand.values("demand__year", "competency_id")
                             .annotate(h=Sum(hc), hm=Sum(hc * F("minimum")))
                             .values_list("demand__year", "competency_id", "h", "hm")):
        cell = out.setdefault(year, {}).setdefault(cid, [0.0, 0.0])
        cell[0] += h or 0.0
        cell[1] += hm or 0.0
    postings = PostingRequirement.objects.filter(posting__majors=major_id, posting__status__in=POSTING_STATUSES,
                                                 posting__published_at__isnull=False)
    if years is not None:
        postings = postings.filter(posting__published_at__year__in=years)
    phc = Cast(F("posting__headcount"), FloatField())
    for year, cid, h, hm in (postings.annotate(y=ExtractYear("posting__published_at"))
                             .values("y", "competency_id").annotate(h=Sum(phc), hm=Sum(phc * F("minimum")))
                             .values_list("y", "competency_id", "h", "hm")):
        cell = out.setdefault(year, {}).setdefault(cid, [0.0, 0.0])
        cell[0] += h or 0.0
        cell[1] += hm or 0.0
    return {y: {c: (v[0], v[1]) for c, v in cells.items()} for y, cells in out.items()}


def _total_headcount(major_id: int, year: int) -> int:
    """Every demand row's and posting's headcount of the major in the year (the share's
    denominator: a posting that requires nothing still asks for people)."""
    from .models import TalentDemand

    demand = TalentDemand.objects.filter(major_id=major_id, year=year).aggregate(h=Sum("headcount"))["h"] or 0
    postings = Posting.objects.filter(majors=major_id, status__in=POSTING_STATUSES,
                                      published_at__year=year).aggregate(h=Sum("headcount"))["h"] or 0
    return int(demand) + int(postings)


# Buckets of the cohort distribution: [0, .2), [.2, .4), [.4, .6), [.6, .8), [.8, 1]
DISTRIBUTION_EDGES = (0.2, 0.4, 0.6, 0.8)


@dataclass(frozen=True)
class CohortDistribution:
    mean: float
    students: int
    bins: tuple[int, ...] = ()
    meeting: int = 0


def cohort_supply(*, major_id: int, intake_years: list[int], detail_year: int | None = None,
                  thresholds: dict[int, float] | None = None) -> dict[tuple[int, int], CohortDistribution]:
    """{(intake year, competency id): the cohort's radar distribution}. Read from the
    candidate vectors (enterprises.vectors: each student's stored radar as one row, kept
    in step with students' CompetencyAttainment), so a cohort of 100,000 students is one
    pass over a narrow table instead of a join over 700,000 attainment rows: means for
    every year asked for, and for `detail_year` the five buckets and how many students
    reach `thresholds[competency id]`. One query (two when detail is asked for)."""

    years = sorted(set(intake_years) | ({detail_year} if detail_year is not None else set()))
    if not years:
        return {}
    key = "careers:cohort-supply:v1:{}:{}:{}:{}".format(
        major_id, ",".join(map(str, years)), detail_year,
        ",".join(f"{c}={t:.6f}" for c, t in sorted((thresholds or {}).items())))
    return _cached(key, lambda: _cohort_supply_query(major_id, years, detail_year, thresholds))


def _cohort_supply_query(major_id: int, years: list[int], detail_year: int | None,
                         thresholds: dict[int, float] | None) -> dict[tuple[int, int], CohortDistribution]:
    from django.db.models import Avg, Count, Q

    vectors_ensure(major_ids=[major_id])
    axes = axes_by_major([major_id]).get(major_id, {})
    qs = CandidateVector.objects.filter(major_id=major_id)
    means = {f"m{i}": Avg(f"a{i}") for i in axes.values()}
    out: dict[tuple[int, int], CohortDistribution] = {}
    rows = {r["intake_year"]: r for r in qs.filter(intake_year__in=years).values("intake_year")
            .annotate(n=Count("pk"), **means).order_by()}
    for year, row in rows.items():
        for cid, i in axes.items():
            out[(year, cid)] = CohortDistribution(mean=float(row[f"m{i}"] or 0.0), students=int(row["n"]))
    if detail_year is None or detail_year not in rows:
        return out
    aggregates = {}
    for cid, i in axes.items():
        column = f"a{i}"
        lower = None
        for b, edge in enumerate((*DISTRIBUTION_EDGES, None)):
            condition = Q()
            if lower is not None:
                condition &= Q(**{f"{column}__gte": lower})
            if edge is not None:
                condition &= Q(**{f"{column}__lt": edge})
            aggregates[f"b{i}_{b}"] = Count("pk", filter=condition)
            lower = edge
        if thresholds and cid in thresholds:
            aggregates[f"t{i}"] = Count("pk", filter=Q(**{f"{column}__gte": thresholds[cid]}))
    detail = qs.filter(intake_year=detail_year).aggregate(**aggregates)
    for cid, i in axes.items():
        base = out[(detail_year, cid)]
        out[(detail_year, cid)] = CohortDistribution(
            mean=base.mean, students=base.students,
            bins=tuple(int(detail[f"b{i}_{b}"]) for b in range(len(DISTRIBUTION_EDGES) + 1)),
            meeting=int(detail.get(f"t{i}") or 0))
    return out


def demand_supply(*, major: Major, year: int, intake_year: int | None = None) -> DemandSupply:
    competencies = list(Competency.objects.filter(major=major).order_by("order", "code"))
    intake = intake_year if intake_year is not None else year - PROGRAM_YEARS
    demand_years = _demand_by_year(major.pk, None)
    feedback = feedback_by_competency_years(major_id=major.pk)
    years = sorted(set(demand_years) | {year})
    this = demand_years.get(year, {})
    levels = {cid: hm / h for cid, (h, hm) in this.items() if h}
    # the selected cohort with the demanded levels, and every year's cohort for the trend
    supply = cohort_supply(major_id=major.pk, intake_years=[y - PROGRAM_YEARS for y in years],
                           detail_year=intake, thresholds=levels)
    selected = supply
    total = _total_headcount(major.pk, year)
    students = max((d.students for (y, _c), d in selected.items() if y == intake), default=0)
    rows = []
    for c in competencies:
        h, _hm = this.get(c.pk, (0.0, 0.0))
        dist = selected.get((intake, c.pk))
        fb = feedback.get(year, {}).get(c.pk)
        rows.append(CompetencyRow(
            code=c.code, name=c.display_name, headcount=int(round(h)), level=levels.get(c.pk),
            share=(h / total) if total else 0.0, mean=dist.mean if dist else None,
            meeting_share=(dist.meeting / dist.students) if dist and dist.students and c.pk in levels else None,
            bins=dist.bins if dist else (), feedback=fb[0] if fb else None, feedback_count=fb[1] if fb else 0))
    largest = sorted([r for r in rows if r.weight > 0], key=lambda r: -r.weight)[:LARGEST_GAPS]
    trend_years = [y for y in years if demand_years.get(y)]
    series = []
    for c in competencies:
        gaps = []
        for y in trend_years:
            h, hm = demand_years[y].get(c.pk, (0.0, 0.0))
            dist = supply.get((y - PROGRAM_YEARS, c.pk))
            gaps.append(round(hm / h - dist.mean, 4) if h and dist else None)
        series.append({"code": c.code, "name": str(c.display_name), "gaps": gaps})
    return DemandSupply(major=major, year=year, intake_year=intake, students=students, headcount=total,
                        rows=rows, largest_gaps=largest, trend={"years": trend_years, "series": series})


def demand_years(*, major: Major) -> list[int]:
    from .models import TalentDemand

    years = set(TalentDemand.objects.filter(major=major).values_list("year", flat=True).distinct())
    years |= {d.year for d in Posting.objects.filter(majors=major, published_at__isnull=False)
              .dates("published_at", "year")}
    return sorted(years)



