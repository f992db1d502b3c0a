"""The API and pages over HTTP: bad input gives 4xx and keeps nothing; the desk answers
in a constant number of queries."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises.models import CheckIn, LogPhoto, WeeklyLog
from tests.radar.builders import make_student

from .builders import LOG_TEXT, clip_bytes, make_placement, png_upload, video_upload

pytestmark = pytest.mark.django_db


def _media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p) for folder in ("internship-videos", "internship-photos") if (root / folder).exists()
            for p in (root / folder).iterdir()}


def test_api_second_checkin_is_409(client):
    placement = make_placement()
    client.force_login(placement.student.user)
    url = reverse("api:internship-checkins", args=[placement.pk])
    first = client.post(url, {"latitude": 30.2741, "longitude": 120.1551, "device": "1280x800|zh"},
                        content_type="application/json")
    assert first.status_code == 201 and first.json()["far"] is False
    second = client.post(url, {}, content_type="application/json")
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_checked_in"
    bad = client.post(url, {"latitude": 200, "longitude": 0}, content_type="application/json")
    assert bad.status_code == 400
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("payload, code", [
    (b"just some text pretending to be a video\n" * 20, "unsupported_type"),
    (b"\x00\x00\x00\x20ftypisom" + b"\x00" * 4000, "undecodable"),
])
def test_api_bad_video_is_400_and_nothing_kept(client, payload, code):
    placement = make_placement()
    client.force_login(placement.student.user)
    before = _media_files()
    response = client.post(reverse("api:internship-logs", args=[placement.pk]),
                           {"text": LOG_TEXT, "video": video_upload(payload), "photos": [png_upload()]})
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    assert not WeeklyLog.objects.exists() and not LogPhoto.objects.exists()
    assert _media_files() == before


def test_api_too_long_and_too_large_video_are_400(client, settings):
    placement = make_placement()
    client.force_login(placement.student.user)
    url = reverse("api:internship-logs", args=[placement.pk])
    settings.INTERNSHIP_VIDEO_MAX_SECONDS = 1
    response = client.post(url, {"text": LOG_TEXT, "video": video_upload(clip_bytes(seconds=3))})
    assert response.status_code == 400 and response.json()["error"]["code"] == "too_long"
    settings.INTERNSHIP_VIDEO_MAX_SECONDS = 60
    # 50 MB + 1 byte of a real clip's head and padding: refused by size before decoding
    big = clip_bytes() + b"\x00" * (settings.INTERNSHIP_VIDEO_MAX_BYTES + 1)
    response = client.post(url, {"text": LOG_TEXT, "video": video_upload(big)})
    assert response.status_code == 400 and response.json()["error"]["code"] == "file_too_large"
    assert not WeeklyLog.objects.exists()


def test_api_log_outside_dates_is_400_and_log_review_state(client):
    placement = make_placement()
    client.force_login(placement.student.user)
    url = reverse("api:internship-logs", args=[placement.pk])
    outside = (placement.starts_on - datetime.timedelta(days=3)).isoformat()
    response = client.post(url, {"text": LOG_TEXT, "day": outside})
    assert response.status_code == 400 and response.json()["error"]["code"] == "outside_placement"
    response = client.post(url, {"text": LOG_TEXT, "video": video_upload()})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted" and body["has_video"] and body["mentor_grade"] == ""
    assert client.post(url, {"text": LOG_TEXT}).status_code == 409
    client.force_login(placement.mentor)
    review = client.post(reverse("api:internship-log-review", args=[body["id"]]), {"grade": "A", "comment": "好"},
                         content_type="application/json")
    assert review.status_code == 200 and review.json()["mentor_grade"] == "A"
    missing = client.post(reverse("api:internship-log-review", args=[body["id"]]), {"grade": "Z"},
                          content_type="application/json")
    assert missing.status_code == 400


def test_page_second_checkin_shows_a_clear_message(client):
    placement = make_placement()
    client.force_login(placement.student.user)
    url = reverse("enterprises:internship_checkin", args=[placement.pk])
    client.post(url, {"latitude": "", "longitude": ""})
    response = client.post(url, {}, follow=True)
    assert "You have already checked in today." in response.content.decode() or "今天已经签到" in \
        response.content.decode()
    assert CheckIn.objects.count() == 1


def test_page_log_with_text_as_video_is_400_with_the_reason(client):
    placement = make_placement()
    client.force_login(placement.student.user)
    response = client.post(reverse("enterprises:internship_log_new", args=[placement.pk]),
                           {"text": LOG_TEXT, "video": video_upload(b"hello " * 100)})
    assert response.status_code == 400
    assert "log-errors" in response.content.decode()
    assert not WeeklyLog.objects.exists()


def _desk_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("enterprises:internship_home")).status_code == 200
    return len(ctx.captured_queries)


def test_the_tutor_desk_and_the_mentor_desk_answer_in_constant_queries(client):
    first = make_placement()
    tutor, mentor = first.tutor, first.mentor
    client.force_login(tutor)
    small = _desk_queries(client, tutor)
    for _ in range(6):
        p = make_placement(organization=first.organization, school_class=first.student.school_class, mentor=mentor,
                           tutor=tutor, student=make_student(first.student.school_class))
        WeeklyLog.objects.create(placement=p, week=1, due_on=p.week_due(1), text=LOG_TEXT, submitted_at=timezone.now())
        CheckIn.objects.create(placement=p, day=timezone.localdate(), at=timezone.now())
    assert _desk_queries(client, tutor) == small
    response = client.get(reverse("enterprises:internship_home"))
    assert response.context["totals"]["interns"] == 7 and response.context["totals"]["no_checkin"] == 1
    row = next(r for r in response.context["rows"] if r.placement.pk == first.pk)
    assert not row.checked_in_today and row.missing_logs == 2  # weeks 1 and 2 are past due
    client.force_login(mentor)
    assert client.get(reverse("enterprises:internship_home")).context["totals"]["interns"] == 7
    other = make_placement()
    client.force_login(other.tutor)
    assert client.get(reverse("enterprises:internship_home")).context["totals"]["interns"] == 1
