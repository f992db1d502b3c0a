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


def test_teacher_attaches_a_guide_a_student_submits_a_pdf_and_the_grade_lands_in_the_gradebook(
        page, browser_login, tmp_path):
    from deepfake.teaching.models import LabReport
    from teachers.assessment.models import ComponentScore
    from tests.deepfake.lab_data import make_lab_offering, pdf_bytes

    teacher = UserFactory(username="lab_teacher_b", role=Role.TEACHER, language="en")
    student = UserFactory(username="lab_student_b", role=Role.STUDENT, language="en")
    _offering, components, _ai = make_lab_offering(teacher, [student], code="br")

    browser_login("lab_teacher_b")
    page.goto("/deepfake/guides/cnn/")
    assert "Learning goals" in page.inner_text("#guide-body")
    page.select_option("#guide-attach-form select[name=component]", str(components["lab"].pk))
    page.click("#guide-attach-form button[type=submit]")
    page.wait_for_selector("#assignment-title")
    assignment_url = page.url

    page.context.clear_cookies()
    browser_login("lab_student_b")
    page.goto("/students/")
    page.click("#dashboard-lab-work a[href*='/deepfake/lab-work/']")
    not_pdf = tmp_path / "report.pdf"
    not_pdf.write_bytes(b"this is not a PDF")
    page.set_input_files("#report-form input[type=file]", str(not_pdf))
    page.click("#report-form button[type=submit]")
    assert "not a PDF" in page.inner_text(".report-error")
    report = tmp_path / "my-report.pdf"
    report.write_bytes(pdf_bytes(pages=2))
    page.set_input_files("#report-form input[type=file]", str(report))
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#my-report-status")
    assert page.inner_text("#my-report-status") == "Awaiting grading"

    page.context.clear_cookies()
    browser_login("lab_teacher_b")
    page.goto(assignment_url)
    page.fill(".grade-form input[name=score]", "91")
    page.fill(".grade-form input[name=feedback]", "Clear curves")
    page.click(".grade-form button[type=submit]")
    page.wait_for_selector("text=Grade saved")
    assert LabReport.objects.get().score == 91
    assert ComponentScore.objects.get(component=components["lab"]).score == 91
    page.screenshot(path=str(tmp_path / "lab-report-graded.png"), full_page=True)
