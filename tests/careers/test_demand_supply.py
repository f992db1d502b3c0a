"""Demand vs supply on a hand-built set: headcount-weighted levels from demand and
postings, the graduating cohort's distribution, feedback beside, gaps and trend."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from enterprises.careers import services
from enterprises.demand_supply import demand_supply
from enterprises.models import (
    DemandRequirement,
    EmployerFeedback,
    FeedbackRating,
    Posting,
    PostingRequirement,
    TalentDemand,
)
from tests.careers.builders import make_employer, make_graduates, make_major, set_attainments

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    """Major with competencies a, b, c. Year 2024: demand 4 people needing a ≥ 0.8, a
    posting for 1 person needing a ≥ 0.3 and b ≥ 0.6, a posting for 5 that names no
    competency. Cohort 2021 (class of 2024): two students a=.9/.5, b=.4/.4, c=.2/.2.
    Year 2023: demand 2 people needing a ≥ 0.5; cohort 2020: one student a=.3."""
    major = make_major(code="dsx", competencies=("a", "b", "c"))
    _hr, org = make_employer()
    comps = {c.code: c for c in major.competencies.all()}
    d24 = TalentDemand.objects.create(organization=org, year=2024, position_family="data", major=major, headcount=4)
    DemandRequirement.objects.create(demand=d24, competency=comps["a"], minimum=0.8)
    d23 = TalentDemand.objects.create(organization=org, year=2023, position_family="data", major=major, headcount=2)
    DemandRequirement.objects.create(demand=d23, competency=comps["a"], minimum=0.5)
    published = timezone.make_aware(datetime.datetime(2024, 3, 1, 12))
    p1 = Posting.objects.create(organization=org, title="p1", headcount=1, deadline=datetime.date(2024, 4, 1),
                                status="published", published_at=published)
    p1.majors.add(major)
    PostingRequirement.objects.create(posting=p1, competency=comps["a"], minimum=0.3)
    PostingRequirement.objects.create(posting=p1, competency=comps["b"], minimum=0.6)
    p2 = Posting.objects.create(organization=org, title="p2", headcount=5, deadline=datetime.date(2024, 4, 1),
                                status="closed", published_at=published)
    p2.majors.add(major)
    draft = Posting.objects.create(organization=org, title="draft", headcount=50, deadline=datetime.date(2024, 4, 1),
                                   status="draft", published_at=None)
    draft.majors.add(major)
    PostingRequirement.objects.create(posting=draft, competency=comps["c"], minimum=0.9)
    s1, s2 = make_graduates(major, 2021, 2)
    set_attainments([s1], {"a": 0.9, "b": 0.4, "c": 0.2})
    set_attainments([s2], {"a": 0.5, "b": 0.4, "c": 0.2})
    set_attainments(make_graduates(major, 2020, 1), {"a": 0.3, "b": 0.3, "c": 0.3})
    round_ = services.survey_round_get_or_create(graduation_year=2024, kind="graduation")
    f = EmployerFeedback.objects.create(organization=org, student=s1, survey_round=round_, kind="graduate",
                                        major=major, year=2024)
    FeedbackRating.objects.create(feedback=f, competency=comps["a"], rating=4)
    FeedbackRating.objects.create(feedback=f, competency=comps["b"], rating=2)
    return major


def test_levels_supply_gaps_and_feedback(market):
    result = demand_supply(major=market, year=2024)
    rows = {r.code: r for r in result.rows}
    assert (result.intake_year, result.students, result.headcount) == (2021, 2, 10)  # 4 + 1 + 5; drafts never
    a, b, c = rows["a"], rows["b"], rows["c"]
    assert a.headcount == 5 and a.level == pytest.approx((4 * 0.8 + 1 * 0.3) / 5)  # 0.70
    assert a.share == pytest.approx(0.5)
    assert a.mean == pytest.approx(0.7) and a.gap == pytest.approx(0.0, abs=1e-9)
    assert a.meeting_share == pytest.approx(0.5)  # one of two students at or above 0.70
    assert b.level == pytest.approx(0.6) and b.headcount == 1 and b.mean == pytest.approx(0.4)
    assert b.gap == pytest.approx(0.2) and b.meeting_share == 0
    assert c.level is None and c.headcount == 0 and c.gap is None  # nobody asks for c
    assert a.bins == (0, 0, 1, 0, 1) and c.bins == (0, 2, 0, 0, 0)
    assert (a.feedback, a.feedback_count, b.feedback, c.feedback) == (4.0, 1, 2.0, None)
    assert [r.code for r in result.largest_gaps] == ["b"]


def test_trend_per_year_against_the_cohort_graduating_that_year(market):
    result = demand_supply(major=market, year=2024)
    assert result.trend["years"] == [2023, 2024]
    a = next(s for s in result.trend["series"] if s["code"] == "a")
    assert a["gaps"] == [pytest.approx(0.5 - 0.3), pytest.approx(0.0, abs=1e-9)]
    c = next(s for s in result.trend["series"] if s["code"] == "c")
    assert c["gaps"] == [None, None]


def test_a_year_without_demand_or_cohort(market):
    result = demand_supply(major=market, year=2031)
    assert result.headcount == 0 and result.students == 0 and result.largest_gaps == []
    assert all(r.level is None and r.mean is None for r in result.rows)
