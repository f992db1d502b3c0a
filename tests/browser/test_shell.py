"""The page shell in a real headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_logs_in_switches_language_and_logs_out(page, browser_login, tmp_path):
    UserFactory(username="browser_student", role=Role.STUDENT, display_name="王小明", display_name_en="Wang Xiaoming")
    browser_login("browser_student")
    assert page.url.endswith("/students/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "王小明" in page.inner_text("#user-menu")

    # Choosing a language submits the form: wait for that navigation, not just for idle network.
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "Log out" in page.content()
    assert "Wang Xiaoming" in page.inner_text("#user-menu")
    page.screenshot(path=str(tmp_path / "student-home-en.png"), full_page=True)

    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.screenshot(path=str(tmp_path / "student-home-zh.png"), full_page=True)

    page.click("#user-menu")
    with page.expect_navigation():
        page.click("#logout-button")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert (tmp_path / "student-home-en.png").stat().st_size > 1000


def test_bootstrap_and_htmx_load_from_our_static_files(page, browser_login):
    UserFactory(username="browser_teacher", role=Role.TEACHER)
    browser_login("browser_teacher")
    assert page.evaluate("typeof bootstrap") == "object"
    assert page.evaluate("typeof htmx") == "object"
