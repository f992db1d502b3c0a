"""The order-based project journey in a real headless Chromium: an enterprise publishes a
project → the school publishes it → a team bids → the enterprise selects it → a milestone
is delivered and accepted → the final rating gives each member points on their home page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from projects.models import Project
from tests.factories import UserFactory
from tests.projects import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, browser_login, username: str):
    page.context.clear_cookies()
    browser_login(username)


def test_publish_bid_select_deliver_rate_points_on_home(page, browser_login, tmp_path):
    page.set_default_timeout(60000)  # a long journey on a shared, busy machine
    _org, hr = f.enterprise(UserFactory(username="br_hr", role=Role.ENTERPRISE))
    UserFactory(username="br_admin", role=Role.SCHOOL_ADMIN)
    leader = f.student(UserFactory(username="br_leader", role=Role.STUDENT, display_name="王小明"), number="BRP1")
    mate = f.student(UserFactory(username="br_mate", role=Role.STUDENT), number="BRP2")
    f.team(leader.user, mate.user, name="星火队", shares={"br_leader": 2, "br_mate": 1})

    # The enterprise publishes.
    _as(page, browser_login, "br_hr")
    page.goto("/projects/new/")
    deadline = datetime.datetime.now() + datetime.timedelta(days=5)
    page.fill("#id_title", "直播脚本策划")
    page.fill("#id_brief", "为新品直播写三场脚本。")
    page.fill("#id_deliverables", "脚本 PDF")
    page.fill("#id_reward_points", "90")
    page.fill("#id_bid_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_due_date", (deadline + datetime.timedelta(days=20)).strftime("%Y-%m-%d"))
    page.fill("#id_team_size_max", "3")
    with page.expect_navigation():
        page.click("#project-submit")
    project = Project.objects.get(title="直播脚本策划")
    assert project.status == "pending"
    url = f"/projects/{project.pk}/"

    # The school publishes it.
    _as(page, browser_login, "br_admin")
    page.goto(url)
    with page.expect_navigation():
        page.click("#approve-button")
    expect(page.locator("#project-title [data-status]")).to_have_attribute("data-status", "open")

    # The team bids.
    _as(page, browser_login, "br_leader")
    page.goto(url)
    page.fill("#bid-form textarea[name=proposal]", "三人分工，一周出初稿。")
    page.fill("#bid-form textarea[name=plan]", "第一周调研，第二周定稿。")
    with page.expect_navigation():
        page.click("#bid-button")
    expect(page.locator(".bid")).to_have_count(1)

    # The enterprise selects the team.
    _as(page, browser_login, "br_hr")
    page.goto(url)
    with page.expect_navigation():
        page.click(".select-button")
    expect(page.locator("#project-title [data-status]")).to_have_attribute("data-status", "in_progress")

    # The team hands in the milestone's deliverable.
    pdf = tmp_path / "脚本.pdf"
    pdf.write_bytes(f.PDF)
    _as(page, browser_login, "br_mate")
    page.goto(url)
    page.set_input_files(".milestone-upload input[type=file]", str(pdf))
    with page.expect_navigation():
        page.click(".milestone-upload button")
    expect(page.locator(".milestone-status").first).to_have_attribute("data-status", "submitted")

    # The enterprise accepts it and rates the delivery.
    _as(page, browser_login, "br_hr")
    page.goto(url)
    with page.expect_navigation():
        page.click(".milestone-review button[value=accept]")
    expect(page.locator("#project-title [data-status]")).to_have_attribute("data-status", "delivered")
    for criterion, score in (("quality", "5"), ("timeliness", "4"), ("communication", "5"), ("innovation", "4")):
        page.select_option(f"#rating-form select[name={criterion}]", score)
    with page.expect_navigation():
        page.click("#rate-button")
    expect(page.locator("#rating-score")).to_have_text("87.50")
    page.screenshot(path=str(tmp_path / "project-rated.png"), full_page=True)

    # Each member sees their share of the points on their home page.
    _as(page, browser_login, "br_leader")
    page.goto("/students/")
    expect(page.locator("#stat-points")).to_have_text("60")
    assert "直播脚本策划" in page.inner_text("#dashboard-points")
    _as(page, browser_login, "br_mate")
    page.goto("/students/")
    expect(page.locator("#stat-points")).to_have_text("30")
