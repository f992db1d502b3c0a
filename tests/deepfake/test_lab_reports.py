"""Experiment guides, lab assignments and PDF lab reports graded into the gradebook (issue 16, item 6)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.errors import ApplicationError, NotPermitted
from accounts.models import Notification, Role
from deepfake.teaching import services
from deepfake.teaching.guides import GUIDES
from deepfake.teaching.models import LabAssignment, LabReport
from deepfake.teaching.validation import check_report
from tests.deepfake.lab_data import make_lab_offering, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab(make_user):
    teacher = make_user(Role.TEACHER, username="lab_teacher")
    students = [make_user(Role.STUDENT, username=f"lab_s{n}") for n in range(2)]
    offering, components, ai = make_lab_offering(teacher, students)
    return {"teacher": teacher, "students": students, "offering": offering, "components": components, "ai": ai}


def _attach(lab, guide="cnn", **kwargs):
    return services.assignment_attach(actor=lab["teacher"], guide=guide, component=lab["components"]["lab"], **kwargs)


def _stored_reports() -> int:
    try:
        return len(default_storage.listdir("deepfake/lab_reports")[1])
    except FileNotFoundError:
        return 0


# --- PDF checks -----------------------------------------------------------------------------

def test_a_real_pdf_passes_with_its_page_count():
    checked = check_report(pdf_upload(pdf_bytes(pages=3)))
    assert checked.pages == 3 and checked.data.startswith(b"%PDF-")


@pytest.mark.parametrize("data, code", [
    (b"", "empty_file"),
    (b"Just some text pretending to be a report\n", "not_pdf"),
    (b"PK\x03\x04" + b"\x00" * 200, "not_pdf"),  # a renamed .docx
    (None, "pdf_damaged"),  # truncated: the first half of a real PDF
    (b"%PDF-1.4\n1 0 obj garbage endobj\nstartxref\n9\n%%EOF\n", "pdf_damaged"),  # markers only
])
def test_bad_pdfs_are_refused_with_the_reason(data, code):
    if data is None:
        whole = pdf_bytes()
        data = whole[: len(whole) // 2]
    with pytest.raises(ApplicationError) as info:
        check_report(pdf_upload(data))
    assert info.value.code == code and info.value.status_code == 400


@override_settings(DEEPFAKE_LAB_REPORT_MAX_BYTES=1500)
def test_the_size_limit_holds():
    with pytest.raises(ApplicationError) as info:
        check_report(pdf_upload(pdf_bytes(pages=4)))
    assert info.value.code == "file_too_large"


def test_a_path_in_the_name_is_refused():
    import io

    class Named(io.BytesIO):  # Django's upload classes strip directories already; a raw stream may not
        name, size = "../../etc/report.pdf", 10

    with pytest.raises(ApplicationError) as info:
        check_report(Named(pdf_bytes()))
    assert info.value.code == "unsafe_file_name"


# --- attaching ------------------------------------------------------------------------------

def test_the_offerings_teacher_attaches_a_guide_and_the_class_is_told(lab):
    assignment = _attach(lab, instructions="Train for 4 epochs.", due_at=timezone.now() + timedelta(days=7))
    assert assignment.offering == lab["offering"] and assignment.component == lab["components"]["lab"]
    notes = Notification.objects.filter(recipient__in=lab["students"], title="New lab work: experiment %(number)s")
    assert notes.count() == 2 and notes.first().params == {"number": 3}
    with pytest.raises(ApplicationError) as info:
        _attach(lab)
    assert info.value.status_code == 409
    assert LabAssignment.objects.count() == 1


def test_another_teacher_cannot_attach_to_the_offering(lab, make_user):
    other = make_user(Role.TEACHER, username="lab_other_teacher")
    with pytest.raises(NotPermitted):
        services.assignment_attach(actor=other, guide="data", component=lab["components"]["lab"])
    with pytest.raises(ApplicationError):
        services.assignment_attach(actor=lab["teacher"], guide="nonsense", component=lab["components"]["lab"])
    with pytest.raises(ApplicationError):
        _attach(lab, due_at=timezone.now() - timedelta(hours=1))
    assert not LabAssignment.objects.exists()


# --- submitting -----------------------------------------------------------------------------

def test_a_student_submits_and_replaces_until_graded(lab, django_capture_on_commit_callbacks):
    assignment = _attach(lab)
    student = lab["students"][0]
    first = services.report_submit(actor=student, assignment=assignment, uploaded_file=pdf_upload(pdf_bytes(1)))
    first_name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes once the new row is committed
        second = services.report_submit(actor=student, assignment=assignment, uploaded_file=pdf_upload(pdf_bytes(2)))
    assert second.pk == first.pk and second.pages == 2
    assert not default_storage.exists(first_name) and default_storage.exists(second.file.name)
    services.report_grade(actor=lab["teacher"], report=second, score="80")
    with pytest.raises(ApplicationError) as info:
        services.report_submit(actor=student, assignment=assignment, uploaded_file=pdf_upload())
    assert info.value.code == "already_graded" and info.value.status_code == 409


def test_a_bad_file_leaves_nothing_behind(lab):
    assignment = _attach(lab)
    before = _stored_reports()
    with pytest.raises(ApplicationError):
        services.report_submit(actor=lab["students"][0], assignment=assignment,
                               uploaded_file=pdf_upload(b"%PDF-1.7\nnot really\n%%EOF"))
    assert not LabReport.objects.exists() and _stored_reports() == before


def test_past_the_due_date_and_outsiders_are_refused(lab, make_user):
    assignment = _attach(lab, due_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ApplicationError) as info:
        services.report_submit(actor=lab["students"][0], assignment=assignment, uploaded_file=pdf_upload(),
                               now=timezone.now() + timedelta(days=2))
    assert info.value.code == "past_due"
    outsider = make_user(Role.STUDENT, username="lab_outsider")
    with pytest.raises(NotPermitted):
        services.report_submit(actor=outsider, assignment=assignment, uploaded_file=pdf_upload())
    assert not LabReport.objects.exists()


# --- grading into the gradebook ---------------------------------------------------------------

def test_grading_writes_the_component_score_as_the_mean_of_the_reports(lab):
    from teachers.assessment.models import ComponentScore

    student = lab["students"][0]
    cnn, video = _attach(lab, "cnn"), _attach(lab, "video")
    r1 = services.report_submit(actor=student, assignment=cnn, uploaded_file=pdf_upload())
    r2 = services.report_submit(actor=student, assignment=video, uploaded_file=pdf_upload())
    services.report_grade(actor=lab["teacher"], report=r1, score="90", feedback="Clear curves.")
    score = ComponentScore.objects.get(component=lab["components"]["lab"], enrolment__student=student)
    assert score.score == Decimal("90.00")
    services.report_grade(actor=lab["teacher"], report=r2, score="75")
    score.refresh_from_db()
    assert score.score == Decimal("82.50")
    r1.refresh_from_db()
    assert r1.status == LabReport.Status.GRADED and r1.graded_by == lab["teacher"] and r1.feedback == "Clear curves."
    assert Notification.objects.filter(recipient=student,
                                       title="Your lab report for experiment %(number)s was graded: %(score)s").count() == 2


def test_regrading_needs_a_reason_and_only_the_offerings_teacher_grades(lab, make_user):
    assignment = _attach(lab)
    report = services.report_submit(actor=lab["students"][0], assignment=assignment, uploaded_file=pdf_upload())
    other = make_user(Role.TEACHER, username="lab_other_grader")
    with pytest.raises(NotPermitted):
        services.report_grade(actor=other, report=report, score="50")
    for bad in ("101", "-1", "abc", ""):
        with pytest.raises(ApplicationError):
            services.report_grade(actor=lab["teacher"], report=report, score=bad)
    services.report_grade(actor=lab["teacher"], report=report, score="60")
    with pytest.raises(ApplicationError) as info:
        services.report_grade(actor=lab["teacher"], report=report, score="70")
    assert info.value.code == "reason_required"
    services.report_grade(actor=lab["teacher"], report=report, score="70", reason="Missed page 3")
    report.refresh_from_db()
    assert report.score == Decimal("70.00")


def test_the_graded_report_moves_the_final_grade_and_the_ai_competency(lab):
    from students.models import StudentProfile
    from students.selectors import attainments_for_students
    from teachers.assessment.services import component_scores_save
    from teachers.models import Enrolment

    student = lab["students"][0]
    enrolment = Enrolment.objects.get(offering=lab["offering"], student=student)
    components = lab["components"]
    component_scores_save(actor=lab["teacher"], offering=lab["offering"], scores={
        (enrolment.pk, components["attendance"].pk): "100", (enrolment.pk, components["exam"].pk): "80"})
    enrolment.refresh_from_db()
    assert enrolment.score is None  # the lab component is still missing
    profile = StudentProfile.objects.get(user=student)
    before = attainments_for_students(student_ids=[profile.pk]).get(profile.pk, {}).get(lab["ai"].pk, 0)
    report = services.report_submit(actor=student, assignment=_attach(lab), uploaded_file=pdf_upload())
    services.report_grade(actor=lab["teacher"], report=report, score="90")
    enrolment.refresh_from_db()
    assert enrolment.score == Decimal("86.00")  # 10·100 + 40·90 + 50·80, over 100
    after = attainments_for_students(student_ids=[profile.pk])[profile.pk][lab["ai"].pk]
    assert after > before


# --- pages ------------------------------------------------------------------------------------

def _speak(user, language: str) -> None:
    user.language = language  # the user's saved language wins (accounts.middleware)
    user.save(update_fields=["language"])


@pytest.mark.parametrize("guide", [g.slug for g in GUIDES])
def test_every_guide_reads_in_both_languages(client, lab, guide):
    student = lab["students"][0]
    client.force_login(student)
    _speak(student, "en")
    english = client.get(reverse("deepfake:guide_detail", kwargs={"slug": guide})).content.decode()
    assert "Learning goals" in english and "学习目标" not in english
    _speak(student, "zh-hans")
    chinese = client.get(reverse("deepfake:guide_detail", kwargs={"slug": guide})).content.decode()
    assert "学习目标" in chinese and "实验报告" in chinese and "Learning goals" not in chinese


def test_the_guide_shows_the_labs_own_figures(client, lab, shipped_model):
    client.force_login(lab["teacher"])
    body = client.get(reverse("deepfake:guide_detail", kwargs={"slug": "evaluation"})).content.decode()
    assert reverse("deepfake:model_image", kwargs={"model_id": shipped_model.pk, "name": "roc"}) in body
    assert "stylegan3" in body and 'id="guide-attach-form"' in body
    body = client.get(reverse("deepfake:guide_detail", kwargs={"slug": "spectrum"})).content.decode()
    assert 'id="spectra-chart"' in body and "<polyline" in body


def test_the_pages_attach_submit_and_grade(client, lab):
    client.force_login(lab["teacher"])
    response = client.post(reverse("deepfake:guide_attach", kwargs={"slug": "data"}),
                           {"component": lab["components"]["lab"].pk, "instructions": "Bring your crops."})
    assignment = LabAssignment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("deepfake:lab_assignment", kwargs={"assignment_id": assignment.pk}))
    student = lab["students"][0]
    _speak(student, "en")
    client.force_login(student)
    url = reverse("deepfake:lab_report_submit", kwargs={"assignment_id": assignment.pk})
    bad = client.post(url, {"file": pdf_upload(b"hello", name="report.pdf")})
    assert bad.status_code == 400 and "not a PDF" in bad.content.decode()
    assert client.post(url, {"file": pdf_upload()}).status_code == 302
    report = LabReport.objects.get()
    download = client.get(reverse("deepfake:lab_report_download", kwargs={"report_id": report.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    client.force_login(lab["students"][1])  # a classmate: not their report
    assert client.get(reverse("deepfake:lab_report_download", kwargs={"report_id": report.pk})).status_code == 404
    client.force_login(lab["teacher"])
    grade_url = reverse("deepfake:lab_report_grade", kwargs={"report_id": report.pk})
    assert client.post(grade_url, {"score": "200"}).status_code == 400
    assert client.post(grade_url, {"score": "88", "feedback": "Good"}).status_code == 302
    report.refresh_from_db()
    assert report.score == Decimal("88.00")
    page = client.get(reverse("deepfake:lab_assignment", kwargs={"assignment_id": assignment.pk})).content.decode()
    assert "Good" in page and reverse("teachers:gradebook", kwargs={"offering_id": lab["offering"].pk}) in page


def test_home_panels_lead_students_and_teachers_to_the_work(client, lab):
    assignment = _attach(lab)
    services.report_submit(actor=lab["students"][0], assignment=assignment, uploaded_file=pdf_upload())
    client.force_login(lab["teacher"])
    body = client.get(reverse("teachers:home")).content.decode()
    assert 'id="dashboard-lab-work"' in body and reverse("deepfake:lab_assignment", kwargs={
        "assignment_id": assignment.pk}) in body
    client.force_login(lab["students"][1])
    body = client.get(reverse("students:home")).content.decode()
    assert 'id="dashboard-lab-work"' in body and "待提交" in body


# --- API ----------------------------------------------------------------------------------------

def test_the_api_attaches_lists_submits_and_grades(client, lab, make_user):
    client.force_login(lab["teacher"])
    guides = client.get(reverse("api:deepfake-guides")).json()
    assert [g["slug"] for g in guides] == ["data", "spectrum", "cnn", "evaluation", "video"]
    created = client.post(reverse("api:deepfake-lab-assignments"),
                          {"guide": "video", "component": lab["components"]["lab"].pk}, content_type="application/json")
    assert created.status_code == 201, created.content
    assignment_id = created.json()["id"]
    assert client.post(reverse("api:deepfake-lab-assignments"), {"guide": "video", "component": lab["components"][
        "lab"].pk}, content_type="application/json").status_code == 409
    client.force_login(lab["students"][0])
    listing = client.get(reverse("api:deepfake-lab-assignments")).json()
    assert [a["id"] for a in listing["results"]] == [assignment_id]
    url = reverse("api:deepfake-lab-reports", kwargs={"assignment_id": assignment_id})
    bad = client.post(url, {"file": pdf_upload(b"%PDF-1.4 nope")})
    assert bad.status_code == 400 and "error" in bad.json()
    ok = client.post(url, {"file": pdf_upload()})
    assert ok.status_code == 201 and ok.json()["status"] == "submitted"
    report_id = ok.json()["id"]
    client.force_login(lab["teacher"])
    assert [r["id"] for r in client.get(url).json()["results"]] == [report_id]
    graded = client.post(reverse("api:deepfake-lab-report-grade", kwargs={"report_id": report_id}),
                         {"score": "77.5", "feedback": "ok"}, content_type="application/json")
    assert graded.status_code == 200 and graded.json()["score"] == "77.50"
    outsider = make_user(Role.STUDENT, username="lab_api_outsider")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:deepfake-lab-assignments")).json()["results"] == []


def test_lists_do_not_grow_queries_with_rows(client, lab, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        client.force_login(lab["teacher"])
        with CaptureQueriesContext(connection) as api_queries:
            assert client.get(reverse("api:deepfake-lab-assignments")).status_code == 200
        with CaptureQueriesContext(connection) as page_queries:
            assert client.get(reverse("deepfake:guide_list")).status_code == 200
        return len(api_queries), len(page_queries)

    services.assignment_attach(actor=lab["teacher"], guide="data", component=lab["components"]["lab"])
    one = counts()
    for guide in ("spectrum", "cnn", "evaluation"):
        assignment = services.assignment_attach(actor=lab["teacher"], guide=guide, component=lab["components"]["lab"])
        for student in lab["students"]:
            services.report_submit(actor=student, assignment=assignment, uploaded_file=pdf_upload())
    assert counts() == one
