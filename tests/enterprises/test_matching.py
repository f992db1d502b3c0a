"""The fit formula on hand cases, and the database ranking agreeing with it."""

from __future__ import annotations

import pytest

from accounts.models import Role
from enterprises import services
from enterprises.matching import (
    CandidateFilters,
    best_postings_for_student,
    candidate_page,
    fit_score,
    matches_for_student,
)
from enterprises.selectors import posting_get_for_user
from students.models import PointBalance
from tests.factories import UserFactory
from tests.radar.builders import make_student

from .builders import make_enterprise, make_market, make_visible, posting_data, publish


def test_fit_is_one_when_the_posting_requires_nothing():
    assert fit_score([], []) == 1.0
    assert fit_score([(0.0, 3.0)], [0.1]) == 1.0


def test_fit_is_one_when_every_requirement_is_met():
    assert fit_score([(0.5, 2.0), (0.3, 1.0)], [0.9, 0.3]) == 1.0


def test_one_gap_weighs_by_importance():
    # shortfall 0.4 on the second requirement (v=1); Σ v·r = 2·0.5 + 1·0.6 = 1.6
    assert fit_score([(0.5, 2.0), (0.6, 1.0)], [0.9, 0.2]) == pytest.approx(1 - 0.4 / 1.6)
    # the same gap on a more important competency costs more
    assert fit_score([(0.5, 1.0), (0.6, 3.0)], [0.9, 0.2]) < fit_score([(0.5, 3.0), (0.6, 1.0)], [0.9, 0.2])


@pytest.fixture
def market(db):
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="mk_admin")
    hr = UserFactory(role=Role.ENTERPRISE, username="mk_hr")
    organization = make_enterprise(hr)
    major, school_class, student = make_market()
    posting = services.posting_create(actor=hr, organization=organization, data=posting_data(major))
    publish(posting, admin)
    return {"admin": admin, "hr": hr, "org": organization, "major": major, "class": school_class,
            "student": student, "posting": posting}


def test_the_students_match_reads_the_radar(market):
    posting = posting_get_for_user(user=market["hr"], posting_id=market["posting"].pk)
    result = matches_for_student(market["student"], [posting])[posting.pk]
    # radar: ops 0.9, design 0.2 (B2 40 of two design courses), data 0.45
    assert [(g.code, round(g.attainment, 6)) for g in result.gaps] == [("ops", 0.9), ("design", 0.2)]
    assert result.fit == pytest.approx(0.75)
    assert [g.code for g in result.shortfalls] == ["design"]


def test_database_ranking_agrees_with_the_formula_and_breaks_ties(market):
    school_class, posting = market["class"], market["posting"]
    tied_a = make_student(school_class, number="2024000002")
    tied_b = make_student(school_class, number="2024000001")
    PointBalance.objects.create(student=tied_a, total=5)
    from students.services import radar_recompute

    radar_recompute()
    for student in (market["student"], tied_a, tied_b):
        make_visible(student)
    total, rows = candidate_page(posting=posting, organization_id=market["org"].pk)
    assert total == 3
    assert rows[0].student_number == market["student"].student_number
    assert rows[0].fit == pytest.approx(0.75)
    # no grades: fit 0 for both; the larger points balance first, then the student number
    assert [r.student_number for r in rows[1:]] == ["2024000002", "2024000001"]
    assert rows[1].fit == 0.0


def test_candidates_are_only_visible_students_and_applicants(market):
    posting = market["posting"]
    hidden = make_student(market["class"], number="2024000009")
    partners_only = make_student(market["class"], number="2024000008")
    make_visible(partners_only, "partners")
    make_visible(hidden, "hidden")
    make_visible(market["student"])
    total, rows = candidate_page(posting=posting, organization_id=market["org"].pk, partner=False)
    assert [r.student_number for r in rows] == [market["student"].student_number]
    total, rows = candidate_page(posting=posting, organization_id=market["org"].pk, partner=True)
    assert {r.student_number for r in rows} == {market["student"].student_number, "2024000008"}
    services.application_create(actor=hidden.user, posting=posting)
    total, rows = candidate_page(posting=posting, organization_id=market["org"].pk, partner=False)
    assert "2024000009" in {r.student_number for r in rows}
    # school staff see every student of the posting's majors
    total, rows = candidate_page(posting=posting, organization_id=None)
    assert total == 3
    total, rows = candidate_page(posting=posting, organization_id=None,
                                 filters=CandidateFilters(intake_year=1999))
    assert total == 0


def test_best_postings_for_a_student_best_first(market):
    hr, major, admin = market["hr"], market["major"], market["admin"]
    easy = services.posting_create(actor=hr, organization=market["org"], data=posting_data(
        major, requirements=[{"competency": "ops", "minimum": 0.5, "importance": 1}], title="运营助理"))
    publish(easy, admin)
    nothing = services.posting_create(actor=hr, organization=market["org"],
                                      data=posting_data(major, requirements=[], title="客服"))
    ranked = best_postings_for_student(student=market["student"])
    assert [pid for pid, _fit in ranked] == [easy.pk, market["posting"].pk]  # the draft is not open
    assert ranked[0][1] == pytest.approx(1.0) and ranked[1][1] == pytest.approx(0.75)
    publish(nothing, admin)
    assert {pid for pid, fit in best_postings_for_student(student=market["student"]) if fit == 1.0} == {
        easy.pk, nothing.pk}


def test_vectors_follow_grade_changes_and_new_students(market):
    from teachers.models import Enrolment
    from teachers.services import grade_set

    posting = market["posting"]
    make_visible(market["student"])
    assert candidate_page(posting=posting, organization_id=None)[1][0].fit == pytest.approx(0.75)
    # a grade change (as the gradebook sends it) moves the fit at once
    enrolment = Enrolment.objects.get(student=market["student"].user, offering__course__code="B2")
    grade_set(actor=None, enrolment=enrolment, score=100, reason="重修")
    # design: 2·100 / 400 = 0.5 → shortfall 0.1 of Σ v·r 1.6
    assert candidate_page(posting=posting, organization_id=None)[1][0].fit == pytest.approx(1 - 0.1 / 1.6)
    newcomer = make_student(market["class"], number="2024000777")
    total, rows = candidate_page(posting=posting, organization_id=None)
    assert total == 2 and rows[-1].student_id == newcomer.pk and rows[-1].fit == 0.0
