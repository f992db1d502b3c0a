"""Selection rounds through the services and the API: bad input, explanations, confirmation,
a second round, the exact GET /api/v1/selection-rounds/<id>/ shape."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.errors import ApplicationError
from accounts.models import Role
from projects import cohort_selectors, cohort_services, selection
from projects.models import OrderClassMember, SelectionApplication, SelectionOutcome, SelectionRound
from tests.factories import UserFactory
from tests.growth import factories as growth
from tests.projects import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    org, hr = f.enterprise()
    admin = UserFactory(username="sel_admin", role=Role.SCHOOL_ADMIN)
    klass = growth.school_class(code="SEL-1", year=2024)
    students = [growth.student(klass=klass, number=f"SEL{i}") for i in range(4)]
    classes = [cohort_services.order_class_create(actor=hr, enterprise=org, major=klass.major, title=f"订单班{i}",
                                                  intake_year=2024, capacity=5, criteria="面试") for i in range(2)]
    selection_round = selection.selection_round_create(
        actor=admin, kind=SelectionRound.Kind.ORDER_CLASS, title="R1", major=klass.major, intake_year=2024,
        apply_deadline=timezone.now() + datetime.timedelta(days=1), options=[(classes[0], 1), (classes[1], 2)])
    a, b = selection_round.options.order_by("id")
    return {"hr": hr, "admin": admin, "students": students, "round": selection_round, "a": a, "b": b,
            "classes": classes}


def test_capacities_must_be_positive(setup):
    with pytest.raises(ApplicationError) as exc:
        selection.selection_round_create(
            actor=setup["admin"], kind="order_class", title="bad", major=setup["classes"][0].major, intake_year=2024,
            apply_deadline=timezone.now() + datetime.timedelta(days=1), options=[(setup["classes"][0], 0)])
    assert exc.value.code == "invalid_capacity"
    assert SelectionRound.objects.count() == 1


def test_student_cannot_rank_twice_or_rank_what_they_did_not_apply_to(setup):
    s = setup["students"][0]
    selection.selection_apply(actor=s.user, option=setup["a"])
    with pytest.raises(ApplicationError) as exc:
        selection.selection_apply(actor=s.user, option=setup["a"])
    assert exc.value.code == "already_applied"
    with pytest.raises(ApplicationError) as exc:
        selection.selection_rank(actor=s.user, selection_round=setup["round"], option_ids=[setup["a"].pk] * 2)
    assert exc.value.code == "duplicate_rank"
    with pytest.raises(ApplicationError) as exc:
        selection.selection_rank(actor=s.user, selection_round=setup["round"],
                                 option_ids=[setup["b"].pk, setup["a"].pk])
    assert exc.value.code == "not_applied"
    selection.selection_apply(actor=s.user, option=setup["b"])
    selection.selection_rank(actor=s.user, selection_round=setup["round"], option_ids=[setup["b"].pk, setup["a"].pk])
    assert list(SelectionApplication.objects.filter(student=s).order_by("student_rank")
                .values_list("option_id", flat=True)) == [setup["b"].pk, setup["a"].pk]


def _run(setup):
    s0, s1, s2, s3 = setup["students"]
    a, b, admin = setup["a"], setup["b"], setup["admin"]
    for student, options in ((s0, [a, b]), (s1, [a, b]), (s2, [a]), (s3, [b])):
        for option in options:
            selection.selection_apply(actor=student.user, option=option)
    selection.selection_close(actor=admin, selection_round=setup["round"])
    selection.selection_option_rank(actor=setup["hr"], option=a, student_numbers=["SEL1", "SEL0", "SEL2"])
    # b ranks by interview score when no order is given; SEL3 is not acceptable to b.
    selection.selection_option_rank(actor=setup["hr"], option=b, student_numbers=["SEL0", "SEL1"])


def test_fit_from_the_radar_and_ranking_by_interview_score(setup):
    from students.models import CompetencyAttainment

    s0, s1, s2, _ = setup["students"]
    competencies = list(s0.major.competencies.all()[:2])
    for competency, value in zip(competencies, (0.8, 0.6), strict=True):
        CompetencyAttainment.objects.create(student=s0, competency=competency, attainment=value)
    for student in (s0, s1, s2):
        selection.selection_apply(actor=student.user, option=setup["a"])
    selection.selection_close(actor=setup["admin"], selection_round=setup["round"])
    fits = dict(SelectionApplication.objects.values_list("student__student_number", "fit_score"))
    assert float(fits["SEL0"]) == 70.0 and fits["SEL1"] is None
    order = selection.selection_option_rank(actor=setup["hr"], option=setup["a"],
                                            interview_scores={"SEL0": 60, "SEL1": 90, "SEL2": 75})
    assert order == ["SEL1", "SEL2", "SEL0"]
    with pytest.raises(ApplicationError):
        selection.selection_option_rank(actor=setup["hr"], option=setup["a"], interview_scores={"SEL3": 50})


def test_compute_explain_confirm_and_second_round(setup, client):
    _run(setup)
    admin, a, b = setup["admin"], setup["a"], setup["b"]
    first = selection.selection_compute(actor=admin, selection_round=setup["round"])
    assert first == {"SEL0": b.pk, "SEL1": a.pk, "SEL2": None, "SEL3": None}
    assert selection.selection_compute(actor=admin, selection_round=setup["round"]) == first  # same twice
    assert SelectionOutcome.objects.filter(round=setup["round"]).count() == 4

    client.force_login(admin)
    body = client.get(f"/api/v1/selection-rounds/{setup['round'].pk}/").json()
    assert body == {
        "capacities": {str(a.pk): 1, str(b.pk): 2},
        "student_preferences": {"SEL0": [str(a.pk), str(b.pk)], "SEL1": [str(a.pk), str(b.pk)],
                                "SEL2": [str(a.pk)], "SEL3": [str(b.pk)]},
        "option_preferences": {str(a.pk): ["SEL1", "SEL0", "SEL2"], str(b.pk): ["SEL0", "SEL1"]},
        "assignment": {"SEL0": str(b.pk), "SEL1": str(a.pk), "SEL2": None, "SEL3": None},
    }

    selection.selection_confirm(actor=admin, selection_round=setup["round"])
    assert set(OrderClassMember.objects.values_list("student__student_number", flat=True)) == {"SEL0", "SEL1"}
    s0 = setup["students"][0]
    result = cohort_selectors.outcome_for_student(user=s0.user, selection_round=setup["round"])
    (reason,) = result["reasons"]
    assert reason["reason"] == "full" and reason["own_rank"] == 2 and reason["cutoff_rank"] == 1
    s3 = setup["students"][3]
    (reason,) = cohort_selectors.outcome_for_student(user=s3.user, selection_round=setup["round"])["reasons"]
    assert reason["reason"] == "not_ranked"
    client.force_login(s0.user)
    page = client.get(f"/projects/rounds/{setup['round'].pk}/")
    assert page.status_code == 200 and b"my-result" in page.content

    second = selection.selection_second_round(actor=admin, selection_round=setup["round"],
                                              apply_deadline=timezone.now() + datetime.timedelta(days=2))
    assert [(o.order_class_id, o.capacity) for o in second.options.all()] == [(b.order_class_id, 1)]
    with pytest.raises(ApplicationError) as exc:  # placed students do not apply again
        selection.selection_apply(actor=s0.user, option=second.options.get())
    assert exc.value.code == "already_placed"
    selection.selection_apply(actor=setup["students"][2].user, option=second.options.get())


def test_api_apply_rank_bad_input_is_4xx(setup, client):
    s = setup["students"][0]
    client.force_login(s.user)
    url = f"/api/v1/selection-rounds/{setup['round'].pk}/"
    assert client.post(url + "applications/", {"option": setup["a"].pk}, content_type="application/json"
                       ).status_code == 201
    response = client.post(url + "ranking/", {"options": [setup["a"].pk, setup["a"].pk]},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "duplicate_rank"
    response = client.post(url + "ranking/", {"options": [setup["b"].pk]}, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_applied"
    other_round_option = 999999
    assert client.post(url + "applications/", {"option": other_round_option},
                       content_type="application/json").status_code == 404


def test_api_creates_a_round_and_refuses_a_capacity_below_one(setup, client):
    client.force_login(setup["admin"])
    body = {"kind": "order_class", "title": "R2", "major": setup["classes"][0].major.code, "intake_year": 2024,
            "apply_deadline": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
            "options": [{"order_class": setup["classes"][0].pk, "capacity": 0}]}
    response = client.post("/api/v1/selection-rounds/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_capacity"
    assert SelectionRound.objects.count() == 1
    body["options"][0]["capacity"] = 3
    response = client.post("/api/v1/selection-rounds/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["option_count"] == 1
    client.force_login(setup["students"][0].user)
    assert client.post("/api/v1/selection-rounds/", body, content_type="application/json").status_code == 403
