"""Placements, check-ins, weekly logs and reviews through the services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import AuditLog, Notification, Role
from enterprises.internships import services
from enterprises.models import CheckIn, LeaveRequest, Placement, Post, WeeklyLog
from students.models import PointEntry, PointSource
from tests.factories import UserFactory
from tests.radar.builders import make_student

from .builders import LOG_TEXT, make_people, make_placement, png_upload, video_upload

pytestmark = pytest.mark.django_db


def test_a_class_is_assigned_to_a_practice_base_in_one_batch():
    organization, school_class, mentor, tutor = make_people()
    students = [make_student(school_class) for _ in range(3)]
    today = timezone.localdate()
    data = services.PlacementData(organization=organization, starts_on=today, ends_on=today + datetime.timedelta(days=60),
                                  mentor=mentor, tutor=tutor, title="电商实习")
    placements = services.placements_assign_class(actor=tutor, school_class=school_class, data=data)
    assert {p.student_id for p in placements} == {s.pk for s in students}
    assert all(p.status == Placement.Status.ACTIVE for p in placements)
    assert Notification.objects.filter(recipient=students[0].user).exists()
    # a second batch over the same dates is refused as a whole
    with pytest.raises(ApplicationError) as exc:
        services.placements_assign_class(actor=tutor, school_class=school_class, data=data)
    assert exc.value.status_code == 409
    # only the head teacher (or a school admin) assigns the class
    with pytest.raises(NotPermitted):
        services.placements_assign_class(actor=UserFactory(role=Role.TEACHER), school_class=school_class, data=data)
    # a mentor must work for the organisation
    outsider = UserFactory(role=Role.ENTERPRISE)
    data.mentor = outsider
    with pytest.raises(ApplicationError):
        services.placements_assign_class(actor=tutor, school_class=school_class, data=data)


def test_backfill_makes_placements_of_offers_accepted_before(django_assert_num_queries):
    from enterprises.models import Application, Posting

    organization, school_class, mentor, tutor = make_people()
    student = make_student(school_class)
    posting = Posting.objects.create(organization=organization, created_by=mentor, kind="internship", title="实习",
                                     deadline=timezone.localdate(), status="published")
    application = Application.objects.create(posting=posting, student=student, stage="accepted")
    AuditLog.objects.create(actor=student.user, action="internship.placement_due", target_type="enterprises.application",
                            target_id=str(application.pk))
    assert services.placements_backfill_due() == 1
    assert services.placements_backfill_due() == 0
    placement = Placement.objects.get(application=application)
    assert placement.mentor == mentor and placement.tutor == tutor and placement.status == "planned"


def test_placements_advance_and_posts_close_with_the_signal():
    from enterprises.internships.signals import post_closed

    today = timezone.localdate()
    placement = make_placement(starts_on=today + datetime.timedelta(days=1), weeks=4)
    assert placement.status == "planned"
    post = services.post_add(actor=placement.tutor, placement=placement, title="客服", duties="接待",
                             starts_on=placement.starts_on, ends_on=placement.starts_on + datetime.timedelta(days=6))
    received = []
    post_closed.connect(lambda sender, post, **kw: received.append(post.pk), weak=False, dispatch_uid="t-closed")
    try:
        assert services.placements_advance(today=placement.starts_on)["started"] == 1
        result = services.placements_advance(today=placement.starts_on + datetime.timedelta(days=8))
        assert result["posts_closed"] == 1
        assert services.placements_advance(today=placement.starts_on + datetime.timedelta(days=9))["posts_closed"] == 0
        assert services.placements_advance(today=placement.ends_on + datetime.timedelta(days=1))["finished"] == 1
    finally:
        post_closed.disconnect(dispatch_uid="t-closed")
    assert received == [post.pk]
    assert Post.objects.get(pk=post.pk).closed_at is not None
    assert Placement.objects.get(pk=placement.pk).status == "finished"
    with pytest.raises(ApplicationError):
        services.post_add(actor=placement.tutor, placement=placement, title="x", duties="",
                          starts_on=placement.starts_on - datetime.timedelta(days=1), ends_on=placement.starts_on)


def test_checkin_far_is_flagged_not_refused_and_the_second_is_409(settings):
    settings.INTERNSHIP_CHECKIN_LATE_AFTER = "00:00"
    placement = make_placement()
    user = placement.student.user
    checkin = services.checkin_record(actor=user, placement=placement, latitude="30.3000", longitude="120.1551",
                                      user_agent="UA", traits="1280x900")
    assert checkin.far and checkin.distance_m > 2000 and checkin.late
    assert len(checkin.device_hash) == 64
    with pytest.raises(ApplicationError) as exc:
        services.checkin_record(actor=user, placement=placement)
    assert exc.value.status_code == 409
    assert CheckIn.objects.count() == 1
    other = make_placement()
    near = services.checkin_record(actor=other.student.user, placement=other, latitude="30.2742",
                                   longitude="120.1552")
    assert not near.far and near.distance_m < 50
    with pytest.raises(NotPermitted):
        services.checkin_record(actor=placement.mentor, placement=placement)
    with pytest.raises(ApplicationError):
        services.checkin_record(actor=make_placement().student.user, placement=Placement.objects.last(),
                                latitude="91", longitude="0")


def test_a_checkin_without_location_is_kept_and_late_is_configurable(settings):
    settings.INTERNSHIP_CHECKIN_LATE_AFTER = "23:59"
    placement = make_placement()
    checkin = services.checkin_record(actor=placement.student.user, placement=placement)
    assert checkin.latitude is None and not checkin.far
    assert checkin.late is (timezone.localtime().time() > datetime.time(23, 59))
    assert checkin.device_hash == ""


def test_log_with_photo_and_video_then_review_earns_points(django_capture_on_commit_callbacks):
    placement = make_placement()
    user = placement.student.user
    with django_capture_on_commit_callbacks(execute=False):
        log = services.log_submit(actor=user, placement=placement, text=LOG_TEXT, video=video_upload(),
                                  photos=[png_upload()])
    assert log.week == 3 and log.poster_status == "pending" and log.video_duration_s == pytest.approx(2, abs=0.2)
    assert (log.video_width, log.video_height) == (160, 120)
    assert log.photos.count() == 1
    with pytest.raises(ApplicationError) as exc:
        services.log_submit(actor=user, placement=placement, text=LOG_TEXT)
    assert exc.value.status_code == 409
    # send back, revise, then both reviewers grade
    with pytest.raises(ApplicationError):
        services.log_review(actor=placement.mentor, log=log, send_back=True)  # needs a comment
    services.log_review(actor=placement.mentor, log=log, send_back=True, comment="补充数据")
    with pytest.raises(ApplicationError):
        services.log_review(actor=placement.tutor, log=log, grade="A")
    services.log_revise(actor=user, log=log, text=LOG_TEXT + "补充：转化率由3%提高到4%。")
    log = services.log_review(actor=placement.mentor, log=WeeklyLog.objects.get(pk=log.pk), grade="A", comment="好")
    assert log.status == "submitted"
    assert not PointEntry.objects.filter(source=PointSource.INTERNSHIP_LOG).exists()
    log = services.log_review(actor=placement.tutor, log=log, grade="B", comment="不错")
    assert log.status == "reviewed"
    entry = PointEntry.objects.get(source=PointSource.INTERNSHIP_LOG, student=placement.student)
    assert entry.amount == 4 and entry.reason_params["week"] == 3  # the lower grade's rule
    services.log_review(actor=placement.tutor, log=log, grade="A")
    assert PointEntry.objects.filter(source=PointSource.INTERNSHIP_LOG).count() == 1
    with pytest.raises(NotPermitted):
        services.log_review(actor=UserFactory(role=Role.TEACHER), log=log, grade="A")


@pytest.mark.parametrize("bad, code", [
    (b"this is text, not a video" * 10, "unsupported_type"),
    (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500, "undecodable"),
])
def test_bad_videos_are_refused_and_nothing_is_kept(bad, code):
    placement = make_placement()
    with pytest.raises(ApplicationError) as exc:
        services.log_submit(actor=placement.student.user, placement=placement, text=LOG_TEXT, video=video_upload(bad))
    assert exc.value.status_code == 400 and exc.value.code == code
    assert not WeeklyLog.objects.exists()


def test_too_long_and_too_large_videos_are_refused(settings):
    from .builders import clip_bytes

    placement = make_placement()
    settings.INTERNSHIP_VIDEO_MAX_SECONDS = 1
    with pytest.raises(ApplicationError) as exc:
        services.log_submit(actor=placement.student.user, placement=placement, text=LOG_TEXT,
                            video=video_upload(clip_bytes(seconds=2)))
    assert exc.value.code == "too_long"
    settings.INTERNSHIP_VIDEO_MAX_SECONDS = 60
    settings.INTERNSHIP_VIDEO_MAX_BYTES = 1000
    with pytest.raises(ApplicationError) as exc:
        services.log_submit(actor=placement.student.user, placement=placement, text=LOG_TEXT, video=video_upload())
    assert exc.value.code == "file_too_large"
    assert not WeeklyLog.objects.exists()


def test_a_log_outside_the_dates_or_too_short_is_400():
    placement = make_placement()
    user = placement.student.user
    for day in (placement.starts_on - datetime.timedelta(days=1), placement.ends_on + datetime.timedelta(days=1)):
        with pytest.raises(ApplicationError) as exc:
            services.log_submit(actor=user, placement=placement, text=LOG_TEXT, day=day)
        assert exc.value.status_code == 400 and exc.value.code == "outside_placement"
    with pytest.raises(ApplicationError) as exc:
        services.log_submit(actor=user, placement=placement, text="太短")
    assert exc.value.code == "text_too_short"
    log = services.log_submit(actor=user, placement=placement, text=LOG_TEXT, day=placement.starts_on)
    assert log.week == 1 and log.late  # written two weeks after it was due


def test_leave_needs_both_and_summary_reaches_the_resume_when_signed():
    from students.resume.selectors import resume_context

    placement = make_placement()
    user = placement.student.user
    leave = services.leave_request(actor=user, placement=placement, starts_on=timezone.localdate(),
                                   ends_on=timezone.localdate(), reason="体检")
    leave = services.leave_decide(actor=placement.mentor, leave=leave, approve=True)
    assert leave.status == LeaveRequest.Status.PENDING
    leave = services.leave_decide(actor=placement.tutor, leave=leave, approve=True)
    assert leave.status == LeaveRequest.Status.APPROVED
    with pytest.raises(ApplicationError):
        services.leave_decide(actor=placement.tutor, leave=leave, approve=False)
    message = services.message_post(actor=placement.mentor, placement=placement, body="明天九点开会")
    assert Notification.objects.filter(recipient=user, title__startswith="New message").exists()
    assert message.body == "明天九点开会"
    with pytest.raises(NotPermitted):
        services.message_post(actor=UserFactory(role=Role.ENTERPRISE), placement=placement, body="x")
    services.summary_write(actor=user, placement=placement, text=LOG_TEXT)
    ctx = resume_context(student=placement.student)
    assert not any(s.get("section") == "internships" for s in ctx["contributed"])
    services.summary_sign(actor=placement.mentor, placement=placement, comment="认真")
    services.summary_sign(actor=placement.tutor, placement=placement)
    ctx = resume_context(student=placement.student)
    assert any(s.get("section") == "internships" for s in ctx["contributed"])
    with pytest.raises(ApplicationError):
        services.summary_write(actor=user, placement=placement, text=LOG_TEXT)


def test_the_end_of_a_post_opens_its_three_party_evaluation():
    from evaluations.models import Invitation, Round

    today = timezone.localdate()
    placement = make_placement(starts_on=today - datetime.timedelta(days=20))
    post = services.post_add(actor=placement.mentor, placement=placement, title="直播运营", duties="场控",
                             starts_on=placement.starts_on, ends_on=today - datetime.timedelta(days=1))
    assert services.placements_advance()["posts_closed"] == 1
    round_ = Round.objects.get(subject_kind="internship_post", subject_id=post.pk)
    assert round_.student == placement.student and round_.status == "open"
    assert placement.organization.name in round_.subject_title
    assert set(Invitation.objects.filter(round=round_).values_list("party", "rater_id")) == {
        ("teacher", placement.tutor_id), ("mentor", placement.mentor_id), ("self", placement.student.user_id)}
