"""A student opens "My competences" in a real Chromium and the radar image loads."""

import pytest

from accounts.models import Role
from students.radar.services import radar_recompute
from tests.factories import UserFactory
from tests.radar.builders import grade, make_class, make_major, make_offering, make_program, make_student, make_term

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_opens_my_competences_and_the_radar_loads(page, browser_login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(username="radar_student", role=Role.STUDENT, display_name="王小明")
    major = make_major(competencies=("ops", "design", "data", "service"))
    make_program(major, 2024, [("B1", 3, 1, {"ops": 1, "data": 0.5}), ("B2", 2, 1, {"design": 1}),
                               ("B3", 2, 2, {"service": 1})])
    school_class = make_class(major, 2024)
    student = make_student(school_class, user=user)
    grade(make_offering("B1", make_term(2024, 1), school_class), student, 85)
    grade(make_offering("B2", make_term(2024, 1), school_class), student, 72)
    radar_recompute()

    browser_login("radar_student")
    page.goto("/students/competences/")
    image = page.locator("#radar-chart img.radar-image")
    image.wait_for(state="visible", timeout=30000)
    page.wait_for_function(
        "() => { const i = document.querySelector('#radar-chart img.radar-image'); return i && i.complete && i.naturalWidth > 0; }",
        timeout=30000,
    )
    assert page.evaluate("document.querySelector('#radar-chart img.radar-image').naturalWidth") == 600
    page.locator("#growth-chart img.radar-image").wait_for(state="visible", timeout=30000)
    assert "能力ops" in page.inner_text("#attainment-table")
    page.screenshot(path=str(tmp_path / "my-competences.png"), full_page=True)
