"""Pages and API through the client: a graduate sees only their own record, the
import API lists bad rows with a 400, feedback twice is a 409, the pages render."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from enterprises.careers import services
from enterprises.models import Destination, SurveyRound, TalentDemand
from tests.careers.builders import make_employer, make_graduates, make_major
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    major = make_major(code="pg", competencies=("ops", "design"))
    a, b = make_graduates(major, 2021, 2, attainments={"ops": 0.5, "design": 0.6})
    hr, org = make_employer()
    graduation = services.survey_round_get_or_create(graduation_year=2024, kind="graduation")
    today = timezone.localdate()
    open_round = SurveyRound.objects.create(graduation_year=2024, kind="1y", opens_on=today - datetime.timedelta(days=1),
                                            closes_on=today + datetime.timedelta(days=10))
    for s in (a, b):
        Destination.objects.create(student=s, survey_round=graduation, graduation_year=2024, major=major,
                                   school_class=s.school_class, category="employed", employer=org,
                                   employer_name=org.name)
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="pg_admin")
    return {"major": major, "a": a, "b": b, "hr": hr, "org": org, "round": open_round, "admin": admin}


def test_a_graduate_reads_only_their_own_destinations(client, world):
    client.force_login(world["a"].user)
    body = client.get(reverse("api:careers-destinations")).json()
    assert [r["student_number"] for r in body["results"]] == [world["a"].student_number]
    client.force_login(world["admin"])
    assert client.get(reverse("api:careers-destinations")).json()["count"] == 2
    assert client.get(reverse("api:careers-destinations"), {"round": "bogus"}).status_code == 400


def test_import_api_lists_bad_rows_and_applies_nothing(client, world):
    client.force_login(world["admin"])
    body = f"student_number,round,category\n{world['a'].student_number},6m,employed\nX999,6m,employed\n" \
           f"{world['b'].student_number},6m,pirate\n".encode()
    response = client.post(reverse("api:careers-destinations-import"),
                           {"file": SimpleUploadedFile("d.csv", body, content_type="text/csv")})
    assert response.status_code == 400
    rows = response.json()["error"]["fields"]["rows"]
    assert [(r["row"], r["student_number"]) for r in rows] == [(2, world["a"].student_number), (3, "X999"),
                                                                (4, world["b"].student_number)]
    assert not Destination.objects.filter(survey_round__kind="6m").exists()


def test_feedback_api_created_once_then_409(client, world):
    client.force_login(world["hr"])
    payload = {"student_number": world["a"].student_number, "round": world["round"].pk,
               "ratings": {"ops": 4, "design": 5}, "comment": "认真"}
    first = client.post(reverse("api:careers-feedback"), payload, content_type="application/json")
    assert first.status_code == 201 and first.json()["ratings"] == {"ops": 4, "design": 5}
    again = client.post(reverse("api:careers-feedback"), payload, content_type="application/json")
    assert again.status_code == 409
    bad = client.post(reverse("api:careers-feedback"), {**payload, "ratings": {"ops": 9}},
                      content_type="application/json")
    assert bad.status_code == 400
    assert client.get(reverse("api:careers-feedback")).json()["count"] == 1


def test_survey_page_form_and_feedback_page(client, world):
    client.force_login(world["a"].user)
    page = client.get(reverse("enterprises:careers_survey"))
    assert page.status_code == 200 and "survey-rounds" in page.content.decode()
    url = reverse("enterprises:careers_survey_fill", kwargs={"round_id": world["round"].pk})
    assert client.post(url, {"category": "employed"}).status_code == 400  # the employer is missing
    assert client.post(url, {"category": "further_study", "employer_name": "大学"}).status_code == 302
    assert Destination.objects.get(student=world["a"], survey_round=world["round"]).category == "further_study"
    client.force_login(world["hr"])
    page = client.get(reverse("enterprises:careers_feedback")).content.decode()
    assert world["a"].student_number in page and world["b"].student_number in page


def test_demand_supply_page_and_api(client, world):
    TalentDemand.objects.create(organization=world["org"], year=2024, position_family="data", major=world["major"],
                                headcount=3)
    teacher = UserFactory(role=Role.TEACHER, username="pg_teacher")
    client.force_login(teacher)
    page = client.get(reverse("enterprises:careers_demand_supply"), {"major": "pg", "year": 2024})
    assert page.status_code == 200 and "ds-chart" in page.content.decode()
    api = client.get(reverse("api:careers-demand-supply"), {"major": "pg", "year": 2024}).json()
    assert api["intake_year"] == 2021 and api["students"] == 2 and api["headcount"] == 3
    assert client.get(reverse("api:careers-demand-supply"), {"major": "nope", "year": 2024}).status_code == 400
    assert client.get(reverse("enterprises:careers_demand_supply"), {"year": "99999"}).status_code == 404
