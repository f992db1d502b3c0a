"""In a real Chromium: a teacher proposes a reform → an industry master reviews and approves →
the administrator approves → the new version shows; a supervisor files a finding → the
teacher submits evidence with a file → the supervisor sees the file and closes it."""

import datetime

import pytest

from teachers.models import CourseVersion, RectificationTask, Reform
from teachers.resources.samples import pdf_bytes
from teachers.supervision import services as supervision
from tests.teachers.reform_world import reform_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, browser_login, username):
    page.context.clear_cookies()
    browser_login(username)


def test_reform_and_supervision_journeys(page, browser_login):
    w = reform_world("br")
    course = w["course"]
    page.set_default_timeout(60000)  # the shared CI machine can be slow; nothing here asserts time
    page.set_default_navigation_timeout(60000)

    _as(page, browser_login, "br_owner")
    page.goto(f"/teachers/reforms/new/?course={course.pk}")
    page.fill("#title", "直播电商方向改革")
    page.fill("#objectives", "策划一场直播\n复盘直播数据")
    page.fill("#modules", "直播间搭建 | 12 | 企业直播间")
    page.fill("#w-c", "0.8")
    with page.expect_navigation():
        page.click("#save-reform")
    reform = Reform.objects.get(title="直播电商方向改革")
    assert page.locator("#section-weights .badge").first.inner_text()  # changed/unchanged marker drawn
    page.select_option("#invite-reviewers", [str(w["master"].pk)])
    with page.expect_navigation():
        page.click("#invite")
    with page.expect_navigation():
        page.click("#submit-reform")
    assert Reform.objects.get(pk=reform.pk).status == "review"
    page.locator("#impact-chart").wait_for(state="visible")

    _as(page, browser_login, "br_master")
    page.goto(f"/teachers/reforms/{reform.pk}/")
    page.select_option("#comment-section", "modules")
    page.fill("#comment-body", "建议增加企业导师带教")
    with page.expect_navigation():
        page.click("#add-comment")
    assert "建议增加企业导师带教" in page.inner_text("#section-modules")
    with page.expect_navigation():
        page.click("#vote-approve")

    _as(page, browser_login, "br_admin")
    page.goto(f"/teachers/reforms/{reform.pk}/")
    page.fill("#from-intake", "2025")
    with page.expect_navigation():
        page.click("#approve-reform")
    page.locator("#version-applied").wait_for(state="visible")
    assert CourseVersion.objects.get(course=course).applies_from_intake == 2025
    page.goto(f"/teachers/courses/{course.pk}/")
    assert "v1" in page.inner_text("#course-versions")
    assert "v1" in page.inner_text("#course-programs")

    # Quality loop: the industry master supervises the term of the owner's offering.
    offering = course.offerings.select_related("term").get(school_class__intake_year=2025)
    plan = supervision.plan_create(actor=w["admin"], term=offering.term, title="督导", supervisors=[w["master"]])
    _as(page, browser_login, "br_master")
    page.goto(f"/teachers/supervision/plans/{plan.pk}/")
    page.select_option("#f-offering", str(offering.pk))
    page.fill("#f-deadline", (datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    page.fill("#f-description", "讲授过多")
    page.fill("#f-action", "每次课增加实操")
    with page.expect_navigation():
        page.click("#file-finding")
    task = RectificationTask.objects.get(finding__plan=plan)

    _as(page, browser_login, "br_owner")
    page.goto(f"/teachers/supervision/tasks/{task.pk}/")
    page.fill("#evidence-note", "已修订全部教案")
    page.set_input_files("#evidence-files", files=[
        {"name": "revised-plan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Revised plan")}])
    with page.expect_navigation():
        page.click("#submit-evidence")
    assert RectificationTask.objects.get(pk=task.pk).status == "submitted"

    _as(page, browser_login, "br_master")
    page.goto(f"/teachers/supervision/tasks/{task.pk}/")
    with page.expect_navigation():
        page.click("#close-task")
    assert RectificationTask.objects.get(pk=task.pk).status == "closed"
    assert "已修订全部教案" in page.inner_text("#task-events")
    assert "revised-plan.pdf" in page.inner_text("#task-events")  # the evidence file, shown to the supervisor
