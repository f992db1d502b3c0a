"""A student's growth journey in a real headless Chromium: ranking page, then the
resume, then the PDF download."""

import pytest

from accounts.models import Role
from students.points import services as points
from tests.factories import UserFactory
from tests.growth import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_opens_ranking_then_resume_and_downloads_pdf(page, browser_login, tmp_path):
    klass = f.school_class(code="BR-1")
    user = UserFactory(username="browser_growth", role=Role.STUDENT, display_name="王小明",
                       display_name_en="Wang Xiaoming")
    me = f.student(user=user, klass=klass, number="BR0001")
    for i, amount in enumerate((40, 25, 10)):
        other = f.student(klass=klass, number=f"BR01{i}")
        points.points_grant(actor=None, student=other, source="teacher_award", amount=amount, reason="b")
    points.points_grant(actor=None, student=me, source="teacher_award", amount=30, reason="表现优秀")

    browser_login("browser_growth")
    page.goto("/students/rankings/?scope=class")
    own = page.inner_text("#own-position")
    assert "2 / 4" in own
    rows = page.locator("#ranking-table tbody tr")
    assert rows.count() == 4
    assert "BR0001" in rows.nth(1).inner_text()
    page.screenshot(path=str(tmp_path / "ranking.png"), full_page=True)

    page.goto("/students/resume/")
    assert "王小明" in page.inner_text("#resume-name")
    assert page.locator("#section-ranking").is_visible()
    with page.expect_download() as download_info:
        page.click("#resume-pdf")
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    assert target.name == "resume-BR0001.pdf"
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and b"STSong-Light" in data
    from tests.growth.test_resume import has_text

    assert has_text(data, "王小明")
