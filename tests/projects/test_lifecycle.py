"""The order-based project lifecycle through the services, with the bad inputs the issue names."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.errors import ApplicationError
from accounts.models import Notification, Role
from projects import selectors, services
from projects.models import Bid, Milestone, MilestoneSubmission, Project
from projects.uploads import check_upload
from students.models import PointEntry
from tests.factories import UserFactory
from tests.projects import factories as f

pytestmark = pytest.mark.django_db


def _pdf(name="report.pdf", data=f.PDF):
    return check_upload(SimpleUploadedFile(name, data, content_type="application/pdf"))


@pytest.fixture
def cast():
    org, hr = f.enterprise()
    admin = UserFactory(username="pj_admin", role=Role.SCHOOL_ADMIN)
    teacher = UserFactory(username="pj_teacher", role=Role.TEACHER)
    s1, s2, s3 = (f.student(number=f"PJ{i}") for i in range(3))
    return {"org": org, "hr": hr, "admin": admin, "teacher": teacher, "students": [s1, s2, s3]}


def test_publish_moderate_bid_select_deliver_rate_grants_points_by_share(cast):
    org, hr, admin = cast["org"], cast["hr"], cast["admin"]
    s1, s2, _ = cast["students"]
    deadline = timezone.now() + datetime.timedelta(days=3)
    project = services.project_create(
        actor=hr, enterprise=org, title="直播带货脚本", brief="写脚本", deliverables="脚本", reward_points=90,
        bid_deadline=deadline, due_date=(deadline + datetime.timedelta(days=20)).date(), team_size_max=3)
    assert project.status == Project.Status.PENDING
    assert Notification.objects.filter(recipient=admin, title__startswith="Project to moderate").exists()
    # Students do not see it before moderation.
    assert not selectors.project_list_for_user(user=s1.user).filter(pk=project.pk).exists()
    services.project_moderate(actor=admin, project=project, approve=True)
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN

    winner = services.team_create(actor=s1.user, name="星火", member_usernames=[s2.user.username,
                                  cast["teacher"].username], shares={s1.user.username: 2, s2.user.username: 1})
    loser_student = f.student(number="PJL")
    loser = services.team_create(actor=loser_student.user, name="Other")
    bid = services.bid_submit(actor=s1.user, project=project, team=winner, proposal="方案", plan="计划")
    other_bid = services.bid_submit(actor=loser_student.user, project=project, team=loser, proposal="x", plan="y")
    # Each team sees only its own bid; the enterprise sees both.
    assert list(selectors.bids_for_project(user=s1.user, project=project)) == [bid]
    assert list(selectors.bids_for_project(user=loser_student.user, project=project)) == [other_bid]
    assert set(selectors.bids_for_project(user=hr, project=project)) == {bid, other_bid}

    services.bid_select(actor=hr, bid=bid, milestones=[
        {"title": "初稿", "due_date": project.due_date - datetime.timedelta(days=10)},
        {"title": "终稿", "due_date": project.due_date}])
    other_bid.refresh_from_db()
    assert other_bid.status == Bid.Status.NOT_SELECTED
    assert Notification.objects.filter(recipient=loser_student.user, title__startswith="Another team").exists()
    first, final = Milestone.objects.filter(project=project).order_by("order")

    services.milestone_submit(actor=s2.user, milestone=first, checked=_pdf())
    services.milestone_review(actor=hr, milestone=first, accept=False, comment="补充数据")
    first.refresh_from_db()
    assert first.status == Milestone.Status.RETURNED
    services.milestone_submit(actor=s1.user, milestone=first, checked=_pdf())
    services.milestone_review(actor=hr, milestone=first, accept=True)
    services.milestone_submit(actor=s1.user, milestone=final, checked=_pdf())
    services.milestone_review(actor=hr, milestone=final, accept=True)
    project.refresh_from_db()
    assert project.status == Project.Status.DELIVERED

    rating = services.project_rate(actor=hr, project=project,
                                   scores={"quality": 5, "timeliness": 4, "communication": 5, "innovation": 4})
    assert float(rating.score) == 87.5
    entries = {e.student_id: e.amount for e in PointEntry.objects.filter(source="project_delivery")}
    assert entries == {s1.pk: 60, s2.pk: 30}
    evidence = selectors.project_practice_evidence(project_id=project.pk)
    assert evidence["score"] == 87.5 and set(evidence["student_user_ids"]) == {s1.user_id, s2.user_id}
    figures = selectors.service_figures()
    assert figures["teachers_serving_enterprises"] == 1 and figures["enterprises_served"] == 1


def test_bad_bids_are_refused_and_leave_nothing(cast):
    org, hr = cast["org"], cast["hr"]
    s1, s2, s3 = cast["students"]
    project = f.project(org, hr, team_size_max=2)
    big = f.team(s1.user, s2.user, s3.user)
    with pytest.raises(ApplicationError) as exc:
        services.bid_submit(actor=s1.user, project=project, team=big, proposal="p", plan="p")
    assert exc.value.code == "team_too_large"
    small = f.team(s1.user)
    Project.objects.filter(pk=project.pk).update(bid_deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ApplicationError) as exc:
        services.bid_submit(actor=s1.user, project=project, team=small, proposal="p", plan="p")
    assert exc.value.code == "deadline_passed"
    with pytest.raises(ApplicationError):
        services.bid_submit(actor=s2.user, project=project, team=small, proposal="p", plan="p")  # not a member
    assert not Bid.objects.exists()


@pytest.mark.parametrize("name,data,code", [
    ("report.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "content_mismatch"),
    ("photo.png", f.PDF, "content_mismatch"),
    ("notes.txt", b"abc\x00def", "content_mismatch"),
    ("slides.pptx", b"PK\x03\x04garbage", "content_mismatch"),
    ("run.exe", b"MZ\x90\x00", "unsupported_type"),
    ("empty.pdf", b"", "empty_file"),
])
def test_milestone_file_not_what_it_claims_is_refused(cast, name, data, code):
    s1 = cast["students"][0]
    the_team = f.team(s1.user)
    _project, milestone = f.project_in_progress(cast["org"], cast["hr"], the_team)
    with pytest.raises(ApplicationError) as exc:
        services.milestone_submit(actor=s1.user, milestone=milestone,
                                  checked=check_upload(SimpleUploadedFile(name, data)))
    assert exc.value.code == code
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING
    assert not MilestoneSubmission.objects.exists()


def test_rating_needs_every_criterion_in_range(cast):
    s1 = cast["students"][0]
    project, milestone = f.project_in_progress(cast["org"], cast["hr"], f.team(s1.user))
    Milestone.objects.filter(pk=milestone.pk).update(status="accepted")
    Project.objects.filter(pk=project.pk).update(status=Project.Status.DELIVERED)
    for scores in ({"quality": 5}, {"quality": 6, "timeliness": 1, "communication": 1, "innovation": 1}):
        with pytest.raises(ApplicationError):
            services.project_rate(actor=cast["hr"], project=project, scores=scores)
    assert not PointEntry.objects.exists()


def test_only_the_owning_enterprise_selects_and_reviews(cast):
    s1 = cast["students"][0]
    project = f.project(cast["org"], cast["hr"])
    bid = services.bid_submit(actor=s1.user, project=project, team=f.team(s1.user), proposal="p", plan="p")
    _other_org, other_hr = f.enterprise()
    with pytest.raises(ApplicationError):
        services.bid_select(actor=other_hr, bid=bid)
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN and not Milestone.objects.exists()
