"""The REST twins of the pages that had none (issue 17 §5: competitions, resume,
outlook): the same services and rules as the pages, JSON bodies for every refusal."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from students.competitions import services as competitions
from students.models import CompetitionEntry
from tests.factories import UserFactory
from tests.growth import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def school(teacher_user):
    klass = f.school_class(code="API1", head_teacher=teacher_user)
    student = f.student(klass=klass, number="2024990001")
    competition = competitions.competition_create(actor=teacher_user, name="技能大赛", level="provincial",
                                                  held_on=datetime.date(2025, 5, 1))
    return {"teacher": teacher_user, "student": student, "competition": competition}


def test_a_student_records_an_entry_once_and_the_head_teacher_approves_it(client, school):
    client.force_login(school["student"].user)
    url = "/api/v1/me/competition-entries/"
    data = {"competition": school["competition"].pk, "rank": "first",
            "certificate": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf")}
    created = client.post(url, data)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending" and created.json()["has_certificate"] is True
    again = client.post(url, {"competition": school["competition"].pk, "rank": "first"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_entry"
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["results"][0]["competition_name"] == "技能大赛"

    client.force_login(school["teacher"])
    queue = client.get("/api/v1/competition-entries/").json()
    entry_id = queue["results"][0]["id"]
    reviewed = client.post(f"/api/v1/competition-entries/{entry_id}/review/", {"decision": "approve"},
                           content_type="application/json")
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "verified"
    twice = client.post(f"/api/v1/competition-entries/{entry_id}/review/", {"decision": "approve"},
                        content_type="application/json")
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "already_reviewed"
    assert CompetitionEntry.objects.get(pk=entry_id).status == "verified"


def test_students_read_competitions_but_only_staff_create_them(client, school):
    body = {"name": "新赛", "level": "national", "held_on": "2025-09-01"}
    client.force_login(school["student"].user)
    assert client.get("/api/v1/competitions/").json()["count"] == 1
    assert client.post("/api/v1/competitions/", body, content_type="application/json").status_code == 403
    client.force_login(school["teacher"])
    created = client.post("/api/v1/competitions/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["level"] == "national"
    bad = client.post("/api/v1/competitions/", {**body, "level": "galactic"}, content_type="application/json")
    assert bad.status_code == 400 and "level" in bad.json()["error"]["fields"]


def test_an_enterprise_sees_only_the_public_sections_of_a_resume_made_visible(client, school):
    student = school["student"]
    hr = UserFactory(role=Role.ENTERPRISE, username="api_hr")
    client.force_login(hr)
    hidden = client.get(f"/api/v1/resumes/{student.student_number}/")
    missing = client.get("/api/v1/resumes/NOSUCH0000/")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()

    client.force_login(student.user)
    patched = client.patch("/api/v1/me/resume/", {"public_sections": ["profile", "awards"],
                                                  "visible_to_enterprises": True, "headline": "数据分析"},
                           content_type="application/json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["settings"]["public_sections"] == ["profile", "awards"]
    shared = client.post("/api/v1/me/resume/share/")
    assert shared.status_code == 201 and "/students/r/" in shared.json()["share_url"]
    assert client.delete("/api/v1/me/resume/share/").status_code == 204

    client.force_login(hr)
    assert [r["student_number"] for r in client.get("/api/v1/resumes/").json()["results"]] == [student.student_number]
    resume = client.get(f"/api/v1/resumes/{student.student_number}/").json()
    assert resume["headline"] == "数据分析" and set(resume["sections"]) == {"profile", "awards"}
    assert resume["radar"] is None and resume["growth"] is None and resume["awards"] == []


def test_the_outlook_says_when_no_model_is_trained(client, school):
    client.force_login(school["student"].user)
    body = client.get("/api/v1/me/outlook/").json()
    assert body["available"] is False and body["employed"] is None
