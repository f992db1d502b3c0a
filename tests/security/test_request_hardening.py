"""NUL characters, request body limits and the Content-Security-Policy header
(issue 17 §4: "NUL bytes give 500 on about 15 endpoints", "No request body limit",
"no Content-Security-Policy header")."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import Role
from tests.factories import UserFactory
from tests.growth import factories as g

pytestmark = pytest.mark.django_db

# Each of these was a 500 (PostgreSQL refuses NUL in text) or a lookup with NUL.
ANONYMOUS_GETS = [
    "/students/r/abc%00/",
    "/students/r/abc%00/pdf/",
    "/accounts/login/?next=%00",
    "/api/v1/students/%00/radar/",
]
STUDENT_GETS = [
    "/students/%00/competences/",
    "/api/v1/students/%00/radar/",
    "/students/rankings/?term=%00",
    "/students/rankings/?competency=%00",
    "/students/rankings/?scope=class&class=%00",
    "/students/rankings/?scope=major&major=a%00b",
    "/api/v1/rankings/?competency=%00",
    "/api/v1/rankings/?scope=class&class=%00",
    "/api/v1/rankings/?scope=major&major=a%00b",
    "/students/stars/?term=%00",
    "/students/points/%00/",
    "/students/resumes/%00/",
    "/deepfake/?page=%00",
    "/api/v1/deepfake/jobs/?page=%00",
    "/students/rankings/?sc%00ope=major",
]


def _assert_refused(response):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    if response["Content-Type"].startswith("application/json"):
        assert response.json()["error"]["code"] == "nul_character"
    else:
        assert b"NUL" in response.content


@pytest.fixture
def student_client():
    profile = g.student()
    client = Client()
    client.force_login(profile.user)
    return client


@pytest.mark.parametrize("url", ANONYMOUS_GETS)
def test_anonymous_nul_in_url_is_400(url):
    _assert_refused(Client().get(url))


@pytest.mark.parametrize("url", STUDENT_GETS)
def test_student_nul_in_url_is_400(url, student_client):
    _assert_refused(student_client.get(url))


def test_nul_in_form_fields_is_400_and_nothing_written(student_client):
    _assert_refused(student_client.post("/students/resume/", {"headline": "a\x00b"}))
    admin = Client()
    admin.force_login(UserFactory(role=Role.SCHOOL_ADMIN))
    profile = g.student()
    _assert_refused(admin.post(f"/students/points/{profile.student_number}/grant/", {"amount": "5", "reason": "a\x00b"}))
    assert not profile.point_entries.exists()


def test_nul_in_login_and_token_api_is_400():
    _assert_refused(Client().post("/accounts/login/", {"username": "a\x00", "password": "x"}))
    _assert_refused(Client().post("/api/v1/auth/token/", {"username": "a\x00", "password": "x"}))
    _assert_refused(Client().post("/api/v1/auth/token/", json.dumps({"username": "a\u0000", "password": "x"}),
                                  content_type="application/json"))


def test_escaped_backslash_before_u0000_is_not_a_nul():
    # "a\\u0000" in JSON is the six characters a \ u 0 0 0 0, not a NUL.
    response = Client().post("/api/v1/auth/token/", json.dumps({"username": "a\\u0000", "password": "x"}),
                             content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] != "nul_character"


def test_nul_in_a_multipart_field_is_400(student_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    _assert_refused(student_client.post("/api/v1/deepfake/jobs/", {"file": upload, "aggregation": "mean\x00"}))


def test_anonymous_huge_body_to_login_is_413_before_reading():
    # The body is never read: Content-Length alone decides (a 1 GB upload used to be
    # spooled to the temp directory before the CSRF 403).
    client = Client()
    response = client.generic("POST", "/accounts/login/", b"x" * 10, content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(1024 ** 3))
    assert response.status_code == 413
    assert b"MB" in response.content


def test_upload_endpoints_have_their_own_limits(student_client):
    from platform_site.security import body_limit_for_path

    assert body_limit_for_path("/accounts/login/") <= 2 * 1024 * 1024
    assert body_limit_for_path("/deepfake/upload/") > 50 * 1024 * 1024
    assert body_limit_for_path("/teachers/offerings/3/gradebook/import/") > 10 * 1024 * 1024
    response = student_client.generic("POST", "/api/v1/deepfake/jobs/", b"",
                                      content_type="multipart/form-data; boundary=x",
                                      CONTENT_LENGTH=str(60 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_every_page_has_a_content_security_policy():
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-eval'" not in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
