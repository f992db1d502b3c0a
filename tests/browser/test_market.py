"""The talent-market journey in a real Chromium: an enterprise creates a posting, the
school administrator approves it, the student sees their radar over the requirement
polygon and applies, the enterprise shortlists, and the student reads the notification."""

import datetime

import pytest

from accounts.models import Role
from enterprises.models import Application, Posting
from tests.enterprises.builders import make_enterprise, make_market
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_user(page, browser_login, username):
    page.context.clear_cookies()
    browser_login(username)


def test_posting_to_shortlist_journey(page, browser_login, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    page.set_default_timeout(60000)  # a shared, busy machine: generous waits, nothing timed
    hr = UserFactory(username="journey_hr", role=Role.ENTERPRISE, display_name="张经理")
    make_enterprise(hr)
    UserFactory(username="journey_admin", role=Role.SCHOOL_ADMIN)
    student_user = UserFactory(username="journey_student", role=Role.STUDENT, display_name="王小明")
    major, _klass, student = make_market(student_user=student_user)
    ops = major.competencies.get(code="ops")
    design = major.competencies.get(code="design")

    # 1. the enterprise writes a posting with requirements and submits it
    browser_login("journey_hr")
    page.goto("/enterprises/postings/new/")
    page.fill("#id_title", "直播运营实习生")
    page.select_option("#id_kind", "internship")
    page.check(f"input[name=majors][value='{major.pk}']")
    page.fill("#id_headcount", "2")
    page.fill("#id_deadline", (datetime.date.today() + datetime.timedelta(days=20)).isoformat())
    page.fill(f"input[name=req_{ops.pk}_min]", "0.5")
    page.fill(f"input[name=req_{ops.pk}_imp]", "2")
    page.fill(f"input[name=req_{design.pk}_min]", "0.6")
    with page.expect_navigation():
        page.click("#save-submit")
    assert page.inner_text("#posting-status") == "待审核"
    posting = Posting.objects.get(title="直播运营实习生")

    # 2. the school administrator approves it
    _switch_user(page, browser_login, "journey_admin")
    page.goto("/enterprises/moderation/")
    with page.expect_navigation():
        page.click(f".moderation-item[data-posting='{posting.pk}'] .approve")
    posting.refresh_from_db()
    assert posting.status == Posting.Status.PUBLISHED

    # 3. the student finds it, sees the radar over the requirement polygon, and applies
    _switch_user(page, browser_login, "journey_student")
    page.goto("/enterprises/jobs/")
    with page.expect_navigation():
        page.click(f"a.posting-row[href='/enterprises/jobs/{posting.pk}/']")
    page.wait_for_function("() => document.querySelector('#fit-radar')?.dataset.drawn === '1'")
    chart = page.evaluate("(() => { const c = Chart.getChart('fit-radar'); return c.data.datasets.map(d => d.data); })()")
    assert chart[0] == [0.5, 0.6, 0.0]          # the requirement polygon
    assert chart[1] == [0.9, 0.2, 0.45]         # the student's radar (the radar API's numbers)
    assert page.inner_text(".fit-value") == "75%"
    assert "课程B2" in page.inner_text("#gap-table") or "课程B3" in page.inner_text("#gap-table")
    page.screenshot(path=str(tmp_path / "posting-fit.png"), full_page=True)
    page.fill("#id_cover_note", "我做过校园直播，希望加入。")
    with page.expect_navigation():
        page.click("#apply-button")
    assert "直播运营实习生" in page.inner_text("#my-applications")

    # 4. the enterprise shortlists from the pipeline
    _switch_user(page, browser_login, "journey_hr")
    page.goto(f"/enterprises/postings/{posting.pk}/")
    page.check(f".applicant[data-student='{student.student_number}'] input[type=checkbox]")
    with page.expect_navigation():
        page.click("#bulk-shortlist")
    assert Application.objects.get(posting=posting, student=student).stage == "shortlisted"

    # 5. the student reads the notification, in Chinese
    _switch_user(page, browser_login, "journey_student")
    page.goto("/accounts/notifications/")
    assert "您已进入直播运营实习生的候选名单" in page.content()
