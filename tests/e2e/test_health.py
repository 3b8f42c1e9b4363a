"""Daily health reporting as people click it: an employee checks in on a phone in Chinese,
the unit officer finds the fever on the follow-up list and opens the case, HQ drills down
from the group to that unit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import COMPANY, EMPLOYEE, HQ, OFFICER, UNIT, count_in, expect_no_horizontal_overflow, go_offline

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_employee_checks_in_on_a_phone_in_chinese(new_page, login):
    page = new_page(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    login(page, EMPLOYEE)
    page.goto("/health/checkin/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    form = page.get_by_test_id("checkin-form")
    expect(form).to_be_visible()
    expect_no_horizontal_overflow(page, "check-in page")
    page.get_by_test_id("checkin-temperature").fill("38.1")
    form.locator("input[name='symptoms'][value='cough']").check()
    form.locator("input[name='work_status'][value='cloud']").check()
    page.get_by_test_id("checkin-submit").click()
    done = page.get_by_test_id("checkin-done")
    expect(done).to_be_visible()
    expect(done).to_contain_text("38.1")


def test_officer_sees_the_fever_and_opens_the_case(new_page, login):
    employee_page = new_page()
    login(employee_page, EMPLOYEE)
    employee_page.goto("/health/checkin/")
    employee_page.get_by_test_id("checkin-temperature").fill("38.4")
    employee_page.locator("input[name='work_status'][value='cloud']").check()
    employee_page.get_by_test_id("checkin-submit").click()
    expect(employee_page.get_by_test_id("checkin-done")).to_be_visible()
    number = re.search(r"TZ\d+", employee_page.locator("main p.muted").first.inner_text()).group(0)

    page = new_page()
    login(page, OFFICER)
    page.get_by_test_id("nav-followup").click()
    # The fever opened a case (or added a note to the person's open one).
    row = page.get_by_test_id("case-list").locator("tbody tr", has_text=number)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    status_form = page.get_by_test_id("case-status-form")
    status_form.locator("select[name='status']").select_option("suspected")
    status_form.locator("textarea[name='note']").fill("Called: staying home, test tomorrow.")
    status_form.get_by_role("button").click()
    expect(page.get_by_test_id("messages")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Suspected")
    expect(page.get_by_test_id("case-notes")).to_contain_text("test tomorrow")


def test_hq_drills_down_from_group_to_unit(page, login):
    login(page, HQ)
    page.get_by_test_id("nav-health").click()
    expect(page.get_by_test_id("kpi-headcount")).to_be_visible()
    group_headcount = count_in(page.get_by_test_id("kpi-headcount").inner_text())
    page.get_by_test_id(f"drill-{COMPANY}").click()
    company_headcount = count_in(page.get_by_test_id("kpi-headcount").inner_text())
    assert 0 < company_headcount < group_headcount
    page.get_by_test_id(f"drill-{UNIT}").click()
    expect(page.get_by_test_id("health-title")).to_contain_text("Wuhan")
    expect(page.get_by_test_id("breakdown-table")).to_be_visible()
    # The charts are drawn by ECharts from the page's data block (no inline script).
    expect(page.get_by_test_id("chart-reporting").locator("svg")).to_have_count(1)
    # And back up through the breadcrumb.
    page.get_by_test_id(f"up-{COMPANY}").click()
    expect(page.get_by_test_id(f"drill-{UNIT}")).to_be_visible()


def test_offline_check_in_is_queued_then_sent(new_page, login, server):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(page, OFFICER)  # the officer's own roster entry files the check-in
    page.goto("/health/checkin/")
    if page.get_by_test_id("checkin-no-roster").count():
        pytest.skip("the officer login has no roster entry in this demo")
    go_offline(page)
    page.get_by_test_id("checkin-temperature").fill("36.7")
    page.locator("input[name='work_status'][value='cloud']").check()
    page.get_by_test_id("checkin-submit").click()
    queue = page.get_by_test_id("offline-queue")
    expect(queue).to_be_visible()
    expect(queue.locator("li")).to_have_attribute("data-state", "waiting")
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    # Sent with its idempotency key, then the page reloads and shows the saved check-in.
    expect(page.get_by_test_id("checkin-done")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("checkin-done")).to_contain_text("36.7")
