"""Posting lifecycle, moderation, expiry, and the API's shapes, errors and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification, Role
from enterprises import services
from enterprises.models import Application, Posting
from enterprises.tasks import postings_expire_due_task
from tests.factories import UserFactory
from tests.radar.builders import make_major, make_student

from .builders import make_enterprise, make_market, make_visible, posting_data, publish


@pytest.fixture
def market(db):
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="pa_admin", language="en")
    hr = UserFactory(role=Role.ENTERPRISE, username="pa_hr", language="zh-hans")
    organization = make_enterprise(hr)
    major, school_class, student = make_market()
    return {"admin": admin, "hr": hr, "org": organization, "major": major, "class": school_class, "student": student}


def test_lifecycle_submit_approve_reject_close_and_notifications(market):
    hr, admin = market["hr"], market["admin"]
    posting = services.posting_create(actor=hr, organization=market["org"], data=posting_data(market["major"]))
    assert posting.status == Posting.Status.DRAFT and posting.weight_total == pytest.approx(1.6)
    services.posting_submit(actor=hr, posting=posting)
    assert Notification.objects.filter(recipient=admin, title__startswith="Posting to review").exists()
    services.posting_reject(actor=admin, posting=posting, reason="补充带教安排")
    posting.refresh_from_db()
    assert posting.status == Posting.Status.REJECTED and posting.rejection_reason == "补充带教安排"
    note = Notification.objects.filter(recipient=hr).order_by("-id").first()
    from django.utils import translation

    with translation.override("zh-hans"):
        assert "补充带教安排" in note.body_text
    services.posting_submit(actor=hr, posting=posting)
    services.posting_approve(actor=admin, posting=posting)
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PUBLISHED and posting.reviewed_by == admin
    services.posting_close(actor=hr, posting=posting)
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.CLOSED


def test_editing_requirements_of_a_published_posting_sends_it_back_to_review(market):
    posting = services.posting_create(actor=market["hr"], organization=market["org"], data=posting_data(market["major"]))
    publish(posting, market["admin"])
    services.posting_update(actor=market["hr"], posting=posting, data=posting_data(market["major"], title="新标题"))
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.PUBLISHED  # same requirements
    services.posting_update(actor=market["hr"], posting=posting, data=posting_data(
        market["major"], requirements=[{"competency": "data", "minimum": 0.3, "importance": 1}]))
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.SUBMITTED


def test_a_trusted_partner_publishes_without_review(db):
    hr = UserFactory(role=Role.ENTERPRISE, username="trusted_hr")
    organization = make_enterprise(hr, partner=True, auto_publish=True)
    major = make_major(competencies=("ops", "design", "data"))
    posting = services.posting_create(actor=hr, organization=organization, data=posting_data(major), submit=True)
    assert posting.status == Posting.Status.PUBLISHED


def test_the_beat_task_expires_postings_past_their_deadline(market):
    posting = services.posting_create(actor=market["hr"], organization=market["org"], data=posting_data(market["major"]))
    publish(posting, market["admin"])
    Posting.objects.filter(pk=posting.pk).update(deadline=datetime.date.today() - datetime.timedelta(days=1))
    assert postings_expire_due_task.delay().get() == 1
    assert Posting.objects.get(pk=posting.pk).status == Posting.Status.EXPIRED
    assert postings_expire_due_task.delay().get() == 0  # idempotent


def _client(client, user):
    client.force_login(user)
    return client


def _post_json(client, url, data):
    import json

    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("change, field", [
    ({"deadline": "2000-01-01"}, "deadline"),
    ({"headcount": -1}, "headcount"),
    ({"requirements": [{"competency": "ops", "minimum": 1.5, "importance": 1}]}, "requirements"),
    ({"requirements": [{"competency": "ops", "minimum": 0.5, "importance": 0}]}, "requirements"),
    ({"majors": ["no-such-major"]}, "majors"),
])
def test_bad_postings_are_400_with_field_errors_and_nothing_written(market, client, change, field):
    body = {"title": "t", "kind": "job", "majors": [market["major"].code],
            "deadline": (datetime.date.today() + datetime.timedelta(days=5)).isoformat(),
            "requirements": [{"competency": "ops", "minimum": 0.5, "importance": 1}], **change}
    response = _post_json(_client(client, market["hr"]), "/api/v1/postings/", body)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Posting.objects.exists()


def test_a_requirement_on_another_majors_competency_is_rejected(market, client):
    other = make_major(competencies=("ml",))
    body = {"title": "t", "kind": "job", "majors": [market["major"].code],
            "deadline": (datetime.date.today() + datetime.timedelta(days=5)).isoformat(),
            "requirements": [{"competency": "ml", "minimum": 0.5}]}
    response = _post_json(_client(client, market["hr"]), "/api/v1/postings/", body)
    assert response.status_code == 400 and "requirements" in response.json()["error"]["fields"]
    assert other.code not in str(Posting.objects.all())


def test_apply_twice_is_409_and_to_an_unpublished_posting_400(market, client):
    posting = services.posting_create(actor=market["hr"], organization=market["org"], data=posting_data(market["major"]))
    c = _client(client, market["student"].user)
    url = f"/api/v1/postings/{posting.pk}/applications/"
    assert c.post(url, {}).status_code == 404  # a draft is invisible to students
    services.posting_submit(actor=market["hr"], posting=posting)
    services.posting_reject(actor=market["admin"], posting=posting, reason="x")
    assert c.get(f"/api/v1/postings/{posting.pk}/").status_code == 404  # rejected: invisible
    services.posting_submit(actor=market["hr"], posting=posting)
    services.posting_approve(actor=market["admin"], posting=posting)
    first = _post_json(c, url, {"cover_note": "我想申请"})
    assert first.status_code == 201 and first.json()["fit"] == pytest.approx(0.75)
    assert _post_json(c, url, {}).status_code == 409
    services.posting_close(actor=market["hr"], posting=posting)
    other = make_student(market["class"])
    response = _post_json(_client(client, other.user), url, {})
    assert response.status_code == 400 and response.json()["error"]["code"] == "posting_not_open"
    assert Application.objects.count() == 1


def test_candidates_api_shape_and_constant_queries(market, client):
    posting = services.posting_create(actor=market["hr"], organization=market["org"], data=posting_data(market["major"]))
    publish(posting, market["admin"])
    make_visible(market["student"])
    c = _client(client, market["hr"])
    url = f"/api/v1/postings/{posting.pk}/candidates/"
    body = c.get(url).json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "student_number": market["student"].student_number, "name": market["student"].user.name_for_display,
        "fit": pytest.approx(0.75), "gaps": [
            {"code": "ops", "required": 0.5, "importance": 2.0, "attainment": pytest.approx(0.9)},
            {"code": "design", "required": 0.6, "importance": 1.0, "attainment": pytest.approx(0.2)}]}
    radar = _client(client, market["admin"]).get(f"/api/v1/students/{market['student'].student_number}/radar/")
    if radar.status_code == 200:  # the radar API's number is the same
        design = next(a for a in radar.json()["competencies"] if a["code"] == "design")
        assert design["attainment"] == pytest.approx(body["results"][0]["gaps"][1]["attainment"])
    c = _client(client, market["hr"])
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    for _ in range(15):
        make_visible(make_student(market["class"]))
    assert c.get(url).json()["count"] == 16  # the new students' vectors are added on this read
    with CaptureQueriesContext(connection) as many:
        assert c.get(url).json()["count"] == 16
    assert len(many) == len(few)


def test_posting_list_filters_fit_and_constant_queries(market, client):
    hr, admin, major = market["hr"], market["admin"], market["major"]
    publish(services.posting_create(actor=hr, organization=market["org"], data=posting_data(major)), admin)
    c = _client(client, market["student"].user)
    with CaptureQueriesContext(connection) as few:
        body = c.get("/api/v1/postings/").json()
    assert body["count"] == 1 and body["results"][0]["fit"] == pytest.approx(0.75)
    for i in range(6):
        publish(services.posting_create(actor=hr, organization=market["org"], data=posting_data(
            major, title=f"岗位{i}", kind="job" if i % 2 else "internship")), admin)
    with CaptureQueriesContext(connection) as many:
        assert c.get("/api/v1/postings/").json()["count"] == 7
    assert len(many) == len(few)
    assert c.get("/api/v1/postings/?kind=job").json()["count"] == 3
    assert c.get("/api/v1/postings/?competency=design&major=" + major.code).json()["count"] == 7
    assert c.get("/api/v1/postings/?q=岗位3").json()["count"] == 1
    assert c.get("/api/v1/postings/?major=nope").status_code == 400


def test_student_matches_api_best_first(market, client):
    hr, admin, major = market["hr"], market["admin"], market["major"]
    publish(services.posting_create(actor=hr, organization=market["org"], data=posting_data(major)), admin)
    publish(services.posting_create(actor=hr, organization=market["org"], data=posting_data(
        major, title="无要求", requirements=[])), admin)
    body = _client(client, market["student"].user).get(
        f"/api/v1/students/{market['student'].student_number}/posting-matches/").json()
    assert [(m["title"], m["fit"]) for m in body] == [("无要求", 1.0), ("数据运营实习", pytest.approx(0.75))]
    assert body[1]["gaps"][1] == {"code": "design", "required": 0.6, "importance": 1.0, "attainment": pytest.approx(0.2)}
