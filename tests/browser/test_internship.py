"""The internship journey in a real Chromium: the student checks in (with the location the
browser allows) and submits a weekly log with a short video; the mentor reviews it; the
tutor sees the log with its poster frame and the copied-log flag against a seeded pair."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import Role
from enterprises.internships.tasks import integrity_scan_task
from enterprises.models import CheckIn, IntegrityFlag, WeeklyLog
from tests.factories import UserFactory
from tests.internships.builders import LOG_TEXT, clip_bytes, make_people, make_placement
from tests.radar.builders import make_student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COPIED = LOG_TEXT.replace("主要负责", "主要承担").replace("我体会到", "我认识到")


def _switch_user(page, browser_login, username):
    page.context.clear_cookies()
    browser_login(username)


def test_checkin_log_with_video_review_and_the_tutor_sees_poster_and_flag(page, browser_login, live_server, tmp_path,
                                                                         settings):
    settings.MEDIA_ROOT = tmp_path
    page.set_default_timeout(60000)  # a shared, busy machine: generous waits, nothing timed
    mentor = UserFactory(username="intern_mentor", role=Role.ENTERPRISE, display_name="张导师")
    tutor = UserFactory(username="intern_tutor", role=Role.TEACHER, display_name="李老师")
    organization, school_class, mentor, tutor = make_people(mentor=mentor, tutor=tutor)
    student_user = UserFactory(username="intern_student", role=Role.STUDENT, display_name="王小明")
    placement = make_placement(student=make_student(school_class, user=student_user), organization=organization,
                               school_class=school_class, mentor=mentor, tutor=tutor)
    # the seeded pair: a classmate's earlier log that the student's log will copy
    classmate = make_placement(student=make_student(school_class), organization=organization,
                               school_class=school_class, mentor=mentor, tutor=tutor)
    WeeklyLog.objects.create(placement=classmate, week=1, due_on=classmate.week_due(1), text=LOG_TEXT,
                             submitted_at=timezone.now())

    # 1. the student checks in, sharing the location the browser grants (about 1 km away: flagged)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 30.2831, "longitude": 120.1551, "accuracy": 20})
    browser_login("intern_student")
    page.goto(f"/enterprises/internships/placements/{placement.pk}/")
    with page.expect_navigation():
        page.click("#checkin-button")
    page.wait_for_selector("#checked-in")
    checkin = CheckIn.objects.get(placement=placement)
    assert checkin.latitude is not None and checkin.far and checkin.device_hash

    # 2. ... and submits this week's log with a short video
    clip = tmp_path / "week.mp4"
    clip.write_bytes(clip_bytes(seconds=2, size=(320, 240)))
    page.click("#new-log")
    page.fill("#id_text", COPIED)
    page.set_input_files("#id_video", str(clip))
    with page.expect_navigation():
        page.click("#submit-log")
    log = WeeklyLog.objects.get(placement=placement)
    assert log.video and log.poster_status == "ready"  # the task ran (eagerly in tests) after commit
    assert page.inner_text("#log-status")
    integrity_scan_task.delay()  # what the beat runs every few hours
    assert IntegrityFlag.objects.filter(log=log, kind="peer_text").exists()

    # 3. the mentor reviews it
    _switch_user(page, browser_login, "intern_mentor")
    page.goto(f"/enterprises/internships/logs/{log.pk}/")
    page.select_option("#id_grade", "A")
    page.fill("#id_comment", "数据详实，继续保持。")
    with page.expect_navigation():
        page.click("#save-review")
    log.refresh_from_db()
    assert log.mentor_grade == "A" and log.mentor_reviewed_at is not None
    assert "数据详实" in page.inner_text("#reviews")

    # 4. the tutor sees the log with its poster frame and the copied-log flag side by side
    _switch_user(page, browser_login, "intern_tutor")
    page.goto(f"/enterprises/internships/logs/{log.pk}/")
    poster = page.wait_for_selector("#poster", state="attached")
    assert page.evaluate("(img) => img.complete && img.naturalWidth", poster) == 320
    assert page.locator("video").get_attribute("poster").endswith("/poster/")
    flag = page.inner_text("#copy-flags")
    assert "周五协助主播准备直播脚本" in flag
    page.goto("/enterprises/internships/")
    assert page.locator("#desk .flag-count").count() >= 1
