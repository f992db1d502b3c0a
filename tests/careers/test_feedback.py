"""Employer feedback: who may rate whom, once per round, and the aggregation per
major and competency on hand cases."""

from __future__ import annotations

import pytest

from accounts.errors import ApplicationError, NotPermitted
from enterprises.careers import services
from enterprises.careers.selectors import feedback_by_competency
from enterprises.models import Application, Destination, EmployerFeedback, Posting
from tests.careers.builders import make_employer, make_graduates, make_major
from tests.enterprises.builders import posting_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    major = make_major(code="fb", competencies=("ops", "design"))
    graduates = make_graduates(major, 2021, 3)  # class of 2024
    hr, org = make_employer()
    other_hr, other_org = make_employer("hr_other")
    round_ = services.survey_round_get_or_create(graduation_year=2024, kind="graduation")
    # graduate 0 works at org (destination names it); graduate 1 accepted org's internship offer
    Destination.objects.create(student=graduates[0], survey_round=round_, graduation_year=2024, major=major,
                               school_class=graduates[0].school_class, category="employed", employer=org,
                               employer_name=org.name)
    from enterprises import services as market

    posting = market.posting_create(actor=hr, organization=org, data=posting_data(
        major, requirements=[{"competency": "ops", "minimum": 0.5, "importance": 1}]))
    Posting.objects.filter(pk=posting.pk).update(status="published")
    Application.objects.create(posting=posting, student=graduates[1], stage=Application.Stage.ACCEPTED)
    return {"major": major, "g": graduates, "hr": hr, "org": org, "other_hr": other_hr, "other_org": other_org,
            "round": round_}


def _rate(w, student, ratings, *, actor=None, org=None, comment="好"):
    return services.feedback_submit(actor=actor or w["hr"], organization_id=(org or w["org"]).pk, student=student,
                                    survey_round=w["round"], ratings=ratings, comment=comment)


def test_an_employer_rates_its_graduate_and_its_intern_once_per_round(world):
    w = world
    graduate = _rate(w, w["g"][0], {"ops": 4, "design": 3})
    intern = _rate(w, w["g"][1], {"ops": 5, "design": 2})
    assert (graduate.kind, intern.kind) == ("graduate", "intern")
    assert graduate.year == 2024 and graduate.major_id == w["major"].pk
    with pytest.raises(ApplicationError) as again:
        _rate(w, w["g"][0], {"ops": 1, "design": 1})
    assert again.value.status_code == 409
    assert EmployerFeedback.objects.count() == 2
    # the next round is a new chance
    later = services.survey_round_get_or_create(graduation_year=2024, kind="6m")
    services.feedback_submit(actor=w["hr"], organization_id=w["org"].pk, student=w["g"][0], survey_round=later,
                             ratings={"ops": 5, "design": 5})


def test_an_employer_never_rates_a_student_it_neither_hosts_nor_employs(world):
    w = world
    with pytest.raises(NotPermitted):
        _rate(w, w["g"][2], {"ops": 4, "design": 3})
    with pytest.raises(NotPermitted):  # another enterprise: not its graduate
        _rate(w, w["g"][0], {"ops": 4, "design": 3}, actor=w["other_hr"], org=w["other_org"])
    with pytest.raises(NotPermitted):  # staff of B claiming A's organisation
        _rate(w, w["g"][0], {"ops": 4, "design": 3}, actor=w["other_hr"], org=w["org"])


@pytest.mark.parametrize("ratings", [{"ops": 4}, {"ops": 4, "design": 6}, {"ops": 0, "design": 3},
                                     {"ops": 4, "design": 3, "nope": 2}, {"ops": "4", "design": 3}])
def test_every_competency_rated_one_to_five(world, ratings):
    with pytest.raises(ApplicationError) as bad:
        _rate(world, world["g"][0], ratings)
    assert bad.value.status_code == 400 and "ratings" in bad.value.extra
    assert not EmployerFeedback.objects.exists()


def test_feedback_by_competency_on_a_hand_case(world):
    w = world
    _rate(w, w["g"][0], {"ops": 4, "design": 3})
    _rate(w, w["g"][1], {"ops": 5, "design": 2})
    assert feedback_by_competency(major_code="fb") == {"ops": (4.5, 2), "design": (2.5, 2)}
    assert feedback_by_competency(major_code="fb", year=2024) == {"ops": (4.5, 2), "design": (2.5, 2)}
    assert feedback_by_competency(major_code="fb", year=2023) == {}
    assert feedback_by_competency(major_code="other") == {}


def test_a_class_placed_at_a_practice_base_is_rated_as_interns(world):
    """A placement made by a teacher assigning a class (no offer, no destination) lets the
    host rate the intern once it is active or finished; a planned one does not."""
    from enterprises.models import Placement
    from tests.internships.builders import make_placement

    w = world
    student = w["g"][2]
    placement = make_placement(student=student, organization=w["org"], school_class=student.school_class)
    Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.PLANNED)
    with pytest.raises(NotPermitted):
        _rate(w, student, {"ops": 4, "design": 3})
    Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.ACTIVE)
    assert _rate(w, student, {"ops": 4, "design": 3}).kind == "intern"
