"""The deepfake lab journey in a real headless Chromium: upload a face, follow the job to
its report (tasks run in process here), see the verdict, the timeline and the spectrum."""

import pytest

from accounts.models import Role
from tests.deepfake.conftest import face_path, faces_dir, jpeg_bytes
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_uploads_a_face_and_reads_the_report(page, browser_login, tmp_path):
    if not (faces_dir() / "real").is_dir():
        pytest.skip("shared faces missing")
    from deepfake.demo import register_shipped_model

    register_shipped_model()
    UserFactory(username="lab_student", role=Role.STUDENT)
    photo = tmp_path / "face.jpg"
    # a face the shipped model judges well away from its threshold (index 5 is "uncertain")
    photo.write_bytes(jpeg_bytes(face_path(faces_dir(), "fake_dcgan_celeba", 8)))
    browser_login("lab_student")
    page.goto("/deepfake/")
    page.set_input_files("#upload-form input[type=file]", str(photo))
    page.click("#upload-button")
    page.wait_for_selector("#verdict", timeout=60000)
    assert page.locator("#job-state").get_attribute("data-status") == "done"
    assert page.locator("#verdict").get_attribute("data-verdict") in ("real", "fake")
    for alt in ("img[src*='/images/timeline/']", "img[src*='/images/spectrum/']", "img[src*='/images/frame-0/']"):
        assert page.evaluate(f"document.querySelector(\"{alt}\").naturalWidth") > 0
    page.screenshot(path=str(tmp_path / "deepfake-report.png"), full_page=True)
