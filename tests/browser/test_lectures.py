"""In a real Chromium: a student signs up for an industry master's lecture → the master ticks
the student's attendance → the student sees the lecture's points on their home page."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from students.lectures import services
from students.lectures.models import Lecture, LectureSignup
from tests.factories import UserFactory
from tests.radar.builders import make_class, make_major, make_student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, browser_login, username):
    page.context.clear_cookies()
    browser_login(username)


def test_sign_up_attend_and_earn_points(page, browser_login):
    page.set_default_timeout(60000)  # the shared CI machine can be slow; nothing here asserts time
    page.set_default_navigation_timeout(60000)
    master = UserFactory(role=Role.INDUSTRY, username="brl_master")
    major = make_major()
    student = make_student(make_class(major, 2024), user=UserFactory(role=Role.STUDENT, username="brl_student"))
    lecture = services.lecture_schedule(
        actor=master, title="直播电商实战", abstract="真实案例", speaker="王老师", room="报告厅", capacity=2,
        starts_at=timezone.now() + datetime.timedelta(days=2), majors=[major])

    _as(page, browser_login, "brl_student")
    page.goto("/students/lectures/")
    with page.expect_navigation():
        page.click("#lecture-list a")
    with page.expect_navigation():
        page.click("#sign-up")
    assert LectureSignup.objects.get(lecture=lecture, student=student).status == "confirmed"
    assert page.inner_text("#signup-status").strip()

    Lecture.objects.filter(pk=lecture.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    _as(page, browser_login, "brl_master")
    page.goto(f"/students/lectures/{lecture.pk}/attendance/")
    page.check(f"input[name=attended][value='{student.student_number}']")
    with page.expect_navigation():
        page.click("#save-attendance")
    assert LectureSignup.objects.get(lecture=lecture, student=student).attended

    _as(page, browser_login, "brl_student")
    page.goto("/students/")
    assert page.inner_text("#stat-points").strip() == "3"
