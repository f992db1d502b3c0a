"""The projects API end to end, with scoping of bids and the bad inputs as 4xx JSON."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from projects.models import Bid, Milestone, MilestoneSubmission, Project
from students.models import PointBalance
from tests.factories import UserFactory
from tests.projects import factories as f

pytestmark = pytest.mark.django_db


def _json(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_teams_see_only_their_bids_and_enterprises_only_their_projects_bids(client):
    org, hr = f.enterprise()
    _other_org, other_hr = f.enterprise()
    a, b = f.student(number="APIA"), f.student(number="APIB")
    project = f.project(org, hr)
    bid_a = Bid.objects.create(project=project, team=f.team(a.user), proposal="A", plan="A", submitted_by=a.user)
    bid_b = Bid.objects.create(project=project, team=f.team(b.user), proposal="B", plan="B", submitted_by=b.user)
    url = f"/api/v1/projects/{project.pk}/bids/"
    client.force_login(a.user)
    assert [r["id"] for r in client.get(url).json()["results"]] == [bid_a.pk]
    assert [r["id"] for r in client.get("/api/v1/bids/").json()["results"]] == [bid_a.pk]
    client.force_login(b.user)
    assert [r["id"] for r in client.get(url).json()["results"]] == [bid_b.pk]
    client.force_login(hr)
    assert {r["id"] for r in client.get(url).json()["results"]} == {bid_a.pk, bid_b.pk}
    client.force_login(other_hr)
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/bids/").json()["results"] == []
    assert client.post(f"/api/v1/bids/{bid_a.pk}/select/", {}, content_type="application/json").status_code == 404


def test_api_lifecycle_and_bad_input(client):
    org, hr = f.enterprise()
    admin = UserFactory(username="api_admin", role=Role.SCHOOL_ADMIN)
    s1, s2, s3 = (f.student(number=f"APL{i}") for i in range(3))
    client.force_login(hr)
    deadline = timezone.now() + datetime.timedelta(days=2)
    bad = _json(client, "/api/v1/projects/", {"title": "x", "brief": "b", "deliverables": "d", "reward_points": 0,
                                               "bid_deadline": deadline.isoformat(), "due_date": "2030-01-01",
                                               "team_size_max": 2})
    assert bad.status_code == 400 and "reward_points" in bad.json()["error"]["fields"]
    created = _json(client, "/api/v1/projects/", {
        "title": "数据看板", "brief": "b", "deliverables": "d", "reward_points": 40,
        "bid_deadline": deadline.isoformat(), "due_date": (deadline + datetime.timedelta(days=9)).date().isoformat(),
        "team_size_max": 2})
    assert created.status_code == 201 and created.json()["status"] == "pending"
    pid = created.json()["id"]
    client.force_login(admin)
    assert _json(client, f"/api/v1/projects/{pid}/moderate/", {"approve": False}).status_code == 400  # no note
    assert _json(client, f"/api/v1/projects/{pid}/moderate/", {"approve": True}).json()["status"] == "open"

    client.force_login(s1.user)
    team = _json(client, "/api/v1/teams/", {"name": "三人组", "members": [s2.user.username, s3.user.username]}).json()
    too_big = _json(client, f"/api/v1/projects/{pid}/bids/", {"team": team["id"], "proposal": "p", "plan": "p"})
    assert too_big.status_code == 400 and too_big.json()["error"]["code"] == "team_too_large"
    pair = _json(client, "/api/v1/teams/", {"name": "二人组", "members": [s2.user.username],
                                             "shares": {s1.user.username: 3, s2.user.username: 1}}).json()
    bid = _json(client, f"/api/v1/projects/{pid}/bids/", {"team": pair["id"], "proposal": "p", "plan": "p"})
    assert bid.status_code == 201
    again = _json(client, f"/api/v1/projects/{pid}/bids/", {"team": pair["id"], "proposal": "p", "plan": "p"})
    assert again.status_code == 400 and Bid.objects.count() == 1

    client.force_login(hr)
    assert _json(client, f"/api/v1/bids/{bid.json()['id']}/select/", {}).json()["status"] == "in_progress"
    milestone = Milestone.objects.get(project_id=pid)
    client.force_login(s2.user)
    fake = client.post(f"/api/v1/milestones/{milestone.pk}/submit/",
                       {"file": SimpleUploadedFile("report.pdf", b"\x89PNG\r\n\x1a\nnot a pdf")})
    assert fake.status_code == 400 and fake.json()["error"]["code"] == "content_mismatch"
    assert not MilestoneSubmission.objects.exists()
    ok = client.post(f"/api/v1/milestones/{milestone.pk}/submit/",
                     {"file": SimpleUploadedFile("report.pdf", f.PDF), "note": "终稿"})
    assert ok.status_code == 201 and ok.json()["status"] == "submitted"
    client.force_login(hr)
    assert _json(client, f"/api/v1/milestones/{milestone.pk}/review/", {"accept": True}).status_code == 200
    assert Project.objects.get(pk=pid).status == "delivered"
    bad_rating = _json(client, f"/api/v1/projects/{pid}/rating/", {"scores": {"quality": 5}})
    assert bad_rating.status_code == 400
    rating = _json(client, f"/api/v1/projects/{pid}/rating/",
                   {"scores": {"quality": 4, "timeliness": 4, "communication": 4, "innovation": 4}})
    assert rating.status_code == 201 and rating.json()["score"] == "75.00"
    totals = dict(PointBalance.objects.values_list("student__student_number", "total"))
    assert totals == {"APL0": 30, "APL1": 10}
    client.force_login(s1.user)  # the project on the member's resume
    resume = client.get("/students/resume/")
    assert resume.status_code == 200 and "数据看板" in resume.content.decode()


def test_bid_after_the_deadline_is_400(client):
    org, hr = f.enterprise()
    s = f.student(number="APD")
    project = f.project(org, hr)
    Project.objects.filter(pk=project.pk).update(bid_deadline=timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(s.user)
    team = f.team(s.user)
    response = _json(client, f"/api/v1/projects/{project.pk}/bids/", {"team": team.pk, "proposal": "p", "plan": "p"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "deadline_passed"
    page = client.post(f"/projects/{project.pk}/bid/", {"team": team.pk, "proposal": "p", "plan": "p"})
    assert page.status_code == 400
    assert not Bid.objects.exists()


def test_openapi_schema_lists_the_projects_endpoints(client):
    client.force_login(UserFactory(role=Role.SCHOOL_ADMIN))
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/selection-rounds/{round_id}/" in schema["paths"]
    assert "/api/v1/projects/{project_id}/bids/" in schema["paths"]
