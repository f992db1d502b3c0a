"""Shared fixtures: one user per role (Zulip's example_user), a real Celery worker,
and a real headless Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import Role
from tests.factories import UserFactory

ROLES = [Role.STUDENT, Role.TEACHER, Role.ENTERPRISE, Role.INDUSTRY, Role.SCHOOL_ADMIN]
PROJECT_ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def make_user(db):
    def _make(role: str = Role.STUDENT, **kwargs):
        return UserFactory(role=role, **kwargs)

    return _make


@pytest.fixture
def student_user(make_user):
    return make_user(Role.STUDENT, username="student1", display_name="王小明", display_name_en="Wang Xiaoming")


@pytest.fixture
def teacher_user(make_user):
    return make_user(Role.TEACHER, username="teacher1", display_name="李慧", display_name_en="Li Hui")


@pytest.fixture
def enterprise_user(make_user):
    return make_user(Role.ENTERPRISE, username="hr1")


@pytest.fixture
def industry_user(make_user):
    return make_user(Role.INDUSTRY, username="master1")


@pytest.fixture
def school_admin_user(make_user):
    return make_user(Role.SCHOOL_ADMIN, username="principal1")


@pytest.fixture
def users_by_role(student_user, teacher_user, enterprise_user, industry_user, school_admin_user):
    return {
        Role.STUDENT: student_user,
        Role.TEACHER: teacher_user,
        Role.ENTERPRISE: enterprise_user,
        Role.INDUSTRY: industry_user,
        Role.SCHOOL_ADMIN: school_admin_user,
    }


# --- A real Celery worker ------------------------------------------------------


def _database_url_for_worker() -> str:
    """The URL of the database the tests are using right now (the test database)."""
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}{port}/{s['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start `celery worker` as a separate process on the configured broker (Redis in
    CI, the filesystem transport otherwise) against the test database. Yields the
    log path; tasks sent with `.delay()` inside the test go over the real broker."""
    from platform_site.celery import app

    queues = "default,inference"
    log_path = tmp_path / "celery-worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platform_site.settings.test",
        "DATABASE_URL": _database_url_for_worker(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    # Stale messages from an earlier run would confuse the test.
    with contextlib.suppress(Exception):  # the filesystem transport cannot purge remotely
        app.control.purge()
    log = open(log_path, "w")  # noqa: SIM115 - closed in teardown
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "platform_site", "worker", "-Q", queues, "--pool=solo",
         "--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "INFO", "-n", f"test-{os.getpid()}@%h"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if "ready." in log_path.read_text(errors="replace"):
            break
        if process.poll() is not None:
            pytest.fail(f"Celery worker exited early:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"Celery worker did not start:\n{log_path.read_text(errors='replace')}")

    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield log_path
    finally:
        app.conf.task_always_eager = previous_eager
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.25, message: str = "condition"):
    """Poll until predicate() is truthy; return its value or fail with the message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {message}")


# --- A real browser ------------------------------------------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return candidate if Path(candidate).exists() else shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run must apt-get install chromium.")
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by
    # the live server and fixtures are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def browser_login(page):
    def _login(username: str, password: str = "password123"):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("#login-button")
        page.wait_for_load_state("networkidle")
        return page

    return _login
