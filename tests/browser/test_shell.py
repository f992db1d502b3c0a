"""The page shell in a real headless Chromium."""

import pytest

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_logs_in_switches_language_and_logs_out(page, browser_login, tmp_path):
    UserFactory(username="browser_student", role=Role.STUDENT, display_name="王小明", display_name_en="Wang Xiaoming")
    browser_login("browser_student")
    assert page.url.endswith("/students/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "王小明" in page.inner_text("#user-menu")

    page.select_option("#language-select", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Log out" in page.content()
    assert "Wang Xiaoming" in page.inner_text("#user-menu")
    page.screenshot(path=str(tmp_path / "student-home-en.png"), full_page=True)

    page.select_option("#language-select", "zh-hans")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.screenshot(path=str(tmp_path / "student-home-zh.png"), full_page=True)

    page.click("#user-menu")
    page.click("#logout-button")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url
    assert (tmp_path / "student-home-en.png").stat().st_size > 1000


def test_bootstrap_and_htmx_load_from_our_static_files(page, browser_login):
    UserFactory(username="browser_teacher", role=Role.TEACHER)
    browser_login("browser_teacher")
    assert page.evaluate("typeof bootstrap") == "object"
    assert page.evaluate("typeof htmx") == "object"
