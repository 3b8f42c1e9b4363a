"""HQ hears of a confirmed case (issue 9): an officer, in Chinese, files a fever for the
employee and confirms the case it opens; HQ, in Chinese, finds the alert in its inbox."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import EMPLOYEE, HQ, OFFICER

pytestmark = pytest.mark.browser


def test_a_confirmed_case_reaches_hqs_inbox_in_chinese(new_page, login):
    employee_page = new_page(locale="zh-CN")
    login(employee_page, EMPLOYEE)
    employee_page.goto("/health/checkin/")
    employee_page.get_by_test_id("checkin-temperature").fill("38.8")
    employee_page.locator("input[name='work_status'][value='cloud']").check()
    employee_page.get_by_test_id("checkin-submit").click()
    expect(employee_page.get_by_test_id("checkin-done")).to_be_visible()
    number = re.search(r"TZ\d+", employee_page.locator("main p.muted").first.inner_text()).group(0)

    officer = new_page(locale="zh-CN")
    login(officer, OFFICER)
    officer.get_by_test_id("nav-followup").click()
    expect(officer.locator("html")).to_have_attribute("lang", "zh-hans")
    # The fever opened a case for the employee (or noted it on their open one).
    row = officer.get_by_test_id("case-list").locator("tbody tr", has_text=number)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    name = officer.locator("h1").first.inner_text().split()[0]
    status_form = officer.get_by_test_id("case-status-form")
    status_form.locator("select[name='status']").select_option("confirmed")
    status_form.locator("textarea[name='note']").fill("核酸阳性")
    officer.get_by_test_id("case-status-submit").click()
    expect(officer.get_by_test_id("case-status")).to_have_text("确诊")

    hq = new_page(locale="zh-CN")
    login(hq, HQ)
    expect(hq.get_by_test_id("unread-count")).to_be_visible()
    hq.get_by_test_id("nav-inbox").click()
    alert = hq.get_by_test_id("inbox-list").locator("li", has_text=f"确诊病例：{name}")
    expect(alert.first).to_be_visible()
    expect(alert.first).to_contain_text("确诊。打开可查看其经过。")
