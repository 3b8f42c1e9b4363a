"""Dates in Chinese, as an officer meets them: the date inputs come pre-filled (the browser
takes only ISO values, and left `2026/12/02` empty, so "save" seemed to do nothing), a return
to work is planned for tomorrow, and the offline queue writes its day like the other pages."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import HQ, OFFICER, UNIT, go_offline

pytestmark = pytest.mark.browser

ZH = {"locale": "zh-CN"}
PHONE = {"width": 375, "height": 812}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _people_without_login(page) -> list[str]:
    """Employee numbers of the unit's people who have no login (other tests use those)."""
    page.goto(f"/orgs/people/?org={UNIT}")
    rows = page.locator("tr[data-testid^='person-row-']").filter(has_not=page.locator("span.badge[title]"))
    expect(rows.first).to_be_visible()
    return [row.get_attribute("data-testid").removeprefix("person-row-") for row in rows.all()][:6]


def test_officer_starts_a_quarantine_and_plans_the_return_in_chinese(new_page, login):
    page = new_page(**ZH)
    login(page, OFFICER)
    for number in _people_without_login(page):
        page.goto("/health/quarantines/new")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        start = page.locator("input[name='start']")
        # The browser keeps a value only when it is ISO: an empty value was the bug.
        expect(start).to_have_value(ISO)
        page.locator("input[name='employee_no']").fill(number)
        page.locator("input[name='reason']").fill("密接 (date test)")
        page.get_by_test_id("quarantine-save").click()
        page.wait_for_load_state()
        if re.search(r"/health/quarantines/\d+/$", page.url):
            break
        # That person already has an open quarantine (from the demo): try the next one.
        expect(page.get_by_test_id("field-start")).not_to_contain_text("不能")
    else:
        pytest.fail("no one of the unit could be put in quarantine")
    expect(page.get_by_test_id("messages")).to_be_visible()
    expect(page.get_by_test_id("quarantine-state")).to_be_visible()

    # The release form is pre-filled too, and a return planned for tomorrow is taken.
    released_on = page.get_by_test_id("quarantine-release-form").locator("input[name='released_on']")
    expect(released_on).to_have_value(ISO)
    tomorrow = datetime.date.fromisoformat(released_on.input_value()) + datetime.timedelta(days=1)
    released_on.fill(tomorrow.isoformat())
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("quarantine-release").click()
    expect(page.get_by_test_id("messages")).to_be_visible()
    facts = page.get_by_test_id("quarantine-facts")
    expect(facts).to_contain_text(f"{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日")
    expect(page.locator(".errorlist")).to_have_count(0)
    # Until that day the person is still in quarantine.
    expect(page.get_by_test_id("quarantine-state")).to_have_text("隔离中")


def test_region_rule_form_is_prefilled_in_chinese(new_page, login):
    page = new_page(**ZH)
    login(page, HQ)
    page.goto("/orgs/regions/")
    links = page.get_by_test_id("regions-table").locator("tbody a[href*='/orgs/regions/']")
    expect(links.first).to_be_visible()
    # HQ sets the rules of the regions whose organisations all lie in its group.
    for href in [link.get_attribute("href") for link in links.all()]:
        page.goto(href)
        form = page.get_by_test_id("region-rule-form")
        if form.count():
            break
    else:
        pytest.fail("HQ may set the rules of no region in this demo")
    expect(form.locator("input[name='effective_from']")).to_have_value(ISO)


def test_offline_queue_writes_the_day_in_chinese(new_page, login):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, **ZH)
    login(page, OFFICER)  # the officer's own roster entry files the check-in
    page.goto("/health/checkin/")
    if page.get_by_test_id("checkin-no-roster").count():
        pytest.skip("the officer login has no roster entry in this demo")
    day = datetime.date.fromisoformat(page.get_by_test_id("checkin-form").get_attribute("data-day"))
    go_offline(page)
    page.get_by_test_id("checkin-temperature").fill("36.6")
    page.locator("input[name='work_status'][value='cloud']").check()
    page.get_by_test_id("checkin-submit").click()
    item = page.get_by_test_id("offline-queue").locator("li")
    expect(item).to_have_attribute("data-state", "waiting")
    expect(item).to_contain_text(f"{day.year}年{day.month}月{day.day}日")
    expect(item).not_to_contain_text(day.isoformat())
    # The queue keeps the ISO day the API takes. (The context closes offline: nothing is sent.)
    stored = page.evaluate("() => JSON.stringify(Object.values(window.localStorage))")
    assert f'\\"day\\":\\"{day.isoformat()}\\"' in stored
