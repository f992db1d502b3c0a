"""The applicant pipeline, notifications to both sides in their own language, the
resume snapshot, the internship hook, and what each party may see."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.utils import timezone, translation

from accounts.errors import ApplicationError
from accounts.models import Notification, Role
from enterprises import selectors, services
from enterprises.models import Application, ApplicationNote, CareerProfile
from tests.factories import UserFactory
from tests.radar.builders import make_student

from .builders import assert_constant_queries, make_enterprise, make_market, posting_data, publish


@pytest.fixture
def market(db):
    admin = UserFactory(role=Role.SCHOOL_ADMIN, username="ap_admin")
    hr = UserFactory(role=Role.ENTERPRISE, username="ap_hr", language="en")
    organization = make_enterprise(hr)
    student_user = UserFactory(role=Role.STUDENT, username="ap_student", language="zh-hans")
    major, school_class, student = make_market(student_user=student_user)
    CareerProfile.objects.create(student=student, phone="13800000000", introduction="你好", visibility="hidden",
                                 education="2024 学院\n2021 高中")
    posting = publish(services.posting_create(actor=hr, organization=organization, data=posting_data(major)), admin)
    return {"admin": admin, "hr": hr, "org": organization, "class": school_class, "student": student,
            "posting": posting}


def _latest(user) -> Notification:
    return Notification.objects.filter(recipient=user).order_by("-id").first()


def test_the_whole_pipeline_notifies_each_side_in_its_language(market):
    hr, student, posting = market["hr"], market["student"], market["posting"]
    application = services.application_create(actor=student.user, posting=posting, cover_note="请考虑我")
    assert application.snapshot["contact"]["phone"] == "13800000000"
    assert application.snapshot["education"] == ["2024 学院", "2021 高中"]
    assert {r["code"] for r in application.snapshot["radar"]} == {"ops", "design", "data"}
    with translation.override("en"):
        assert _latest(hr).title_text.startswith("New applicant for 数据运营实习")
    services.application_move(actor=hr, application=application, stage="shortlisted")
    with translation.override("zh-hans"):
        assert _latest(student.user).title_text == "您已进入数据运营实习的候选名单"
    when = timezone.now() + datetime.timedelta(days=2)
    services.application_move(actor=hr, application=application, stage="interview", interview_at=when,
                              interview_place="https://meet.example/1")
    assert "https://meet.example/1" in _latest(student.user).title_text
    services.application_move(actor=hr, application=application, stage="offer")
    services.application_respond(actor=student.user, application=application, accept=True)
    application.refresh_from_db()
    assert application.stage == "accepted"
    assert [e.stage for e in application.events.all()] == ["applied", "shortlisted", "interview", "offer", "accepted"]
    # an accepted internship offer creates the internship placement (issue 11)
    placement = application.placement
    assert placement.student == student and placement.organization == market["org"]
    assert placement.mentor == hr and placement.status == "planned"
    with translation.override("en"):
        new_intern, accepted = Notification.objects.filter(recipient=hr).order_by("-id")[:2]
        assert "accepted your offer" in accepted.title_text
        assert new_intern.title_text.startswith("New intern")


def test_rejection_needs_a_reason_the_student_sees_and_transitions_are_checked(market):
    application = services.application_create(actor=market["student"].user, posting=market["posting"])
    with pytest.raises(ApplicationError):
        services.application_move(actor=market["hr"], application=application, stage="rejected", reason=" ")
    with pytest.raises(ApplicationError):
        services.application_move(actor=market["hr"], application=application, stage="accepted")
    with pytest.raises(ApplicationError):
        services.application_move(actor=market["hr"], application=application, stage="interview")  # no time/place
    services.application_move(actor=market["hr"], application=application, stage="rejected", reason="名额已满")
    with translation.override("zh-hans"):
        assert "名额已满" in _latest(market["student"].user).body_text
    with pytest.raises(ApplicationError):
        services.application_withdraw(actor=market["student"].user, application=application)


def test_bulk_shortlist_is_all_or_nothing(market):
    others = [make_student(market["class"]) for _ in range(2)]
    apps = [services.application_create(actor=s.user, posting=market["posting"]) for s in [market["student"], *others]]
    services.application_move(actor=market["hr"], application=apps[0], stage="shortlisted")
    with pytest.raises(ApplicationError):  # the first cannot be shortlisted again
        services.application_bulk(actor=market["hr"], posting=market["posting"], application_ids=[a.pk for a in apps],
                                  stage="shortlisted")
    assert Application.objects.filter(stage="shortlisted").count() == 1
    assert services.application_bulk(actor=market["hr"], posting=market["posting"],
                                     application_ids=[a.pk for a in apps[1:]], stage="shortlisted") == 2


def test_another_enterprise_sees_nothing_of_it(market):
    application = services.application_create(actor=market["student"].user, posting=market["posting"])
    services.application_note_add(actor=market["hr"], application=application, text="沟通能力强")
    other_hr = UserFactory(role=Role.ENTERPRISE, username="ap_other")
    make_enterprise(other_hr)
    for call in (lambda: selectors.application_get_for_user(user=other_hr, application_id=application.pk),
                 lambda: selectors.posting_get_for_user(user=other_hr, posting_id=market["posting"].pk, manage=True),
                 lambda: selectors.student_access_for_user(user=other_hr,
                                                           student_number=market["student"].student_number)):
        with pytest.raises(Http404):
            call()
    with pytest.raises(ApplicationError):
        services.application_move(actor=other_hr, application=application, stage="shortlisted")
    with pytest.raises(ApplicationError):
        services.application_note_add(actor=other_hr, application=application, text="x")
    assert ApplicationNote.objects.count() == 1
    # the applicant's enterprise sees the hidden resume with contact details
    access = selectors.student_access_for_user(user=market["hr"], student_number=market["student"].student_number)
    assert access.contact is True


def test_a_student_never_sees_another_students_application(market, client):
    application = services.application_create(actor=market["student"].user, posting=market["posting"])
    other = make_student(market["class"])
    client.force_login(other.user)
    assert client.get(f"/enterprises/applications/{application.pk}/").status_code == 404
    assert client.get(f"/enterprises/applications/{application.pk}/review/").status_code == 403
    client.force_login(market["student"].user)
    page = client.get(f"/enterprises/applications/{application.pk}/")
    assert page.status_code == 200 and "沟通" not in page.content.decode()


def test_private_notes_are_not_on_the_students_page(market, client):
    application = services.application_create(actor=market["student"].user, posting=market["posting"])
    services.application_note_add(actor=market["hr"], application=application, text="内部备注XYZ")
    client.force_login(market["hr"])
    assert "内部备注XYZ" in client.get(f"/enterprises/applications/{application.pk}/review/").content.decode()
    client.force_login(market["student"].user)
    assert "内部备注XYZ" not in client.get(f"/enterprises/applications/{application.pk}/").content.decode()


def test_enterprise_pages_have_a_fixed_query_count(market, client):
    client.force_login(market["hr"])
    services.application_create(actor=market["student"].user, posting=market["posting"])

    def grow():
        for _ in range(6):
            s = make_student(market["class"])
            CareerProfile.objects.create(student=s, visibility="enterprises")
            services.application_create(actor=s.user, posting=market["posting"])

    assert_constant_queries(client, ["/enterprises/", f"/enterprises/postings/{market['posting'].pk}/",
                                     f"/enterprises/postings/{market['posting'].pk}/candidates/"], grow)
