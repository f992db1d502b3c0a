"""A class challenge in a real headless Chromium: the teacher creates it from a labelled zip,
a student uploads predictions and sees their public rank, the teacher closes the phase, the
private leaderboard appears and the student's CHALLENGE_RANK points arrive."""

import pytest

from accounts.models import Role
from tests.deepfake.challenge_data import labelled_zip, predictions_csv
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_user(page, browser_login, username: str) -> None:
    page.context.clear_cookies()
    browser_login(username)


def test_teacher_creates_student_submits_private_board_after_close(page, browser_login, tmp_path):
    from deepfake.models import Challenge
    from students.models import PointEntry, StudentProfile
    from teachers.models import Major, SchoolClass

    page.set_default_timeout(90000)  # the shared CI-less machine can be slow; waits are still bounded
    teacher = UserFactory(username="ch_browser_teacher", role=Role.TEACHER)
    student = UserFactory(username="ch_browser_student", role=Role.STUDENT)
    major = Major.objects.create(code="ch-b", name="大数据技术")
    school_class = SchoolClass.objects.create(major=major, intake_year=2025, code="ch-b-1", name="大数据2501",
                                              head_teacher=teacher)
    StudentProfile.objects.create(user=student, student_number="CHB001", major=major, school_class=school_class,
                                  intake_year=2025)
    archive = tmp_path / "faces.zip"
    archive.write_bytes(labelled_zip(10, {"stylegan3": 5, "dcgan": 5}))

    browser_login("ch_browser_teacher")
    page.goto("/deepfake/challenges/")
    page.click("#challenge-create-link")
    page.fill("input[name=title]", "找出合成人脸")
    page.select_option("select[name=classes]", str(school_class.pk))
    page.set_input_files("input[name=archive]", str(archive))
    page.fill("input[name=starts_at]", "2026-01-01T08:00")
    page.fill("input[name=ends_at]", "2099-01-01T08:00")
    with page.expect_navigation():
        page.click("#challenge-form button[type=submit]")
    assert page.locator("#private-hidden").is_visible()
    challenge = Challenge.objects.get()

    _switch_user(page, browser_login, "ch_browser_student")
    page.goto(f"/deepfake/challenges/{challenge.pk}/")
    csv = tmp_path / "predictions.csv"
    csv.write_bytes(predictions_csv(challenge))
    page.set_input_files("#submit-form input[name=file]", str(csv))
    with page.expect_navigation():
        page.click("#submit-form button[type=submit]")
    first_row = page.locator("#public-board tbody tr").first
    assert first_row.locator("td").first.inner_text().strip() == "1"
    assert "1.0000" in first_row.inner_text()
    assert page.locator("#private-hidden").is_visible() and page.locator("#private-board").count() == 0

    _switch_user(page, browser_login, "ch_browser_teacher")
    page.goto(f"/deepfake/challenges/{challenge.pk}/")
    with page.expect_navigation():
        page.click("#phase-close")
    assert page.locator("#private-board").is_visible()

    _switch_user(page, browser_login, "ch_browser_student")
    page.goto(f"/deepfake/challenges/{challenge.pk}/")
    assert page.locator("#private-board tbody tr").first.locator("td").first.inner_text().strip() == "1"
    entry = PointEntry.objects.get(student__user=student, source="challenge_rank")
    assert entry.amount == 30
    page.screenshot(path=str(tmp_path / "deepfake-challenge.png"), full_page=True)
