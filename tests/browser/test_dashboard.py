"""The school administrator opens the school figures in a real headless Chromium, changes the
year and the major, drills into a figure down to the students and downloads the PDF report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.admin_portal.world import YEAR, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_dashboard_year_major_drill_pdf(page, browser_login, settings, tmp_path):
    settings.DASHBOARD_CACHE_SECONDS = 0
    page.set_default_timeout(60000)
    world = build_world()
    browser_login(world.admin.username)

    page.goto("/school/")
    with page.expect_navigation():
        page.click("#open-school-figures")
    # change the year
    page.select_option("#f-year", str(YEAR))
    with page.expect_navigation():
        page.click("#apply-filters")
    expect(page.locator('[data-kpi="students"] .kpi-value')).to_have_text("6")
    expect(page.locator("#chart-students")).to_have_attribute("data-drawn", "1")
    # change the major
    page.select_option("#f-major", "ec")
    with page.expect_navigation():
        page.click("#apply-filters")
    expect(page.locator('[data-kpi="students"] .kpi-value')).to_have_text("5")
    assert page.locator("#f-year").input_value() == str(YEAR)
    # drill into the figure: per class, then one class's students
    with page.expect_navigation():
        page.click('[data-kpi="students"] a.kpi-drill')
    expect(page.locator("#kpi-value")).to_have_text("5")
    with page.expect_navigation():
        page.click(f"#drill-table a.drill-link:text-is('{world.classes['A1'].name}')")
    rows = page.locator("#drill-table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#drill-table")).to_contain_text("DW-a0")
    # the PDF of the year
    page.goto(f"/school/figures/?year={YEAR}")
    with page.expect_download() as info:
        page.click("#report-pdf")
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename == f"chanjiao-report-{YEAR}.pdf"
