"""Login lockout by username AND address, throttling per address, and "locked" said on
every path (issue 17 §4 "Lockout per username only")."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _fail(address: str, username: str, times: int, path: str = LOGIN):
    client = Client(REMOTE_ADDR=address)
    for _ in range(times):
        client.post(path, {"username": username, "password": "wrong-password"})


def test_a_stranger_elsewhere_cannot_lock_someone_elses_account(settings):
    victim = UserFactory(username="victim2")
    _fail("203.0.113.9", "victim2", settings.AXES_FAILURE_LIMIT + 2)
    # The victim, from their own address, still logs in.
    response = Client(REMOTE_ADDR="198.51.100.7").post(LOGIN, {"username": victim.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    # The attacker's address is locked for that username, and is told so.
    response = Client(REMOTE_ADDR="203.0.113.9").post(LOGIN, {"username": victim.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert 'id="lockout-message"' in response.content.decode()


def test_spraying_one_password_over_many_usernames_is_throttled_per_address(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 12
    real = UserFactory(username="real-user")
    client = Client(REMOTE_ADDR="203.0.113.50")
    for i in range(40):
        client.post(LOGIN, {"username": f"student{i:03d}", "password": "Spring2026!"})
    # Even a right password is refused from that address now, with a reason.
    response = client.post(LOGIN, {"username": real.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "network" in response.content.decode() or "网络" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert Client(REMOTE_ADDR="198.51.100.8").post(
        LOGIN, {"username": real.username, "password": TEST_PASSWORD}).status_code == 302


def test_token_api_says_locked(settings):
    user = UserFactory(username="api-user")
    client = Client(REMOTE_ADDR="203.0.113.77")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN, {"username": user.username, "password": "wrong-password"})
    response = client.post(TOKEN, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "locked"
    assert "locked" in error["message"].lower() or "锁定" in error["message"]
    # From elsewhere the account works, and a wrong password is still an ordinary 400.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.post(TOKEN, {"username": user.username, "password": "nope"}).status_code == 400
    assert "token" in other.post(TOKEN, {"username": user.username, "password": TEST_PASSWORD}).json()


def test_token_api_says_throttled_per_address(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    user = UserFactory(username="api-user2")
    client = Client(REMOTE_ADDR="203.0.113.78")
    for i in range(8):
        client.post(TOKEN, {"username": f"nobody{i}", "password": "x"})
    response = client.post(TOKEN, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked"
