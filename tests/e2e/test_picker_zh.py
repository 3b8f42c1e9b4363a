"""Issue 9 in Chinese: choosing an organisation is a search, not a dead end.

HQ types a unit's Chinese name into the people list's organisation filter, picks it from the
list (by keyboard, and on another page by tapping) and gets that unit's people; a bad filter
value is a message beside its field with the rest of the form kept, never a 404 page. The
officer's "not reported" list on a phone is a list of cards whose phone link and "代为填报"
are on screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import HQ, OFFICER, UNIT, expect_no_horizontal_overflow

pytestmark = pytest.mark.browser

UNIT_NAME_ZH = "武汉光通信研究所"
PHONE = {"width": 375, "height": 812}


def test_people_filter_finds_a_unit_by_its_chinese_name(new_page, login):
    page = new_page(locale="zh-CN")
    login(page, HQ)
    page.goto("/orgs/people/")
    box = page.get_by_test_id("picker-org")
    box.click()
    box.press_sequentially("光通信", delay=30)
    option = page.get_by_test_id(f"picker-option-{UNIT}")
    expect(option).to_be_visible()
    expect(option).to_contain_text(UNIT_NAME_ZH)
    # The keyboard chooses: down to the option, Enter takes it (and does not submit yet).
    for _ in range(10):
        box.press("ArrowDown")
        if option.get_attribute("aria-selected") == "true":
            break
    box.press("Enter")
    expect(box).to_have_value(UNIT_NAME_ZH)
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(rf"org={UNIT}"))
    expect(page.locator("h1")).to_contain_text(UNIT_NAME_ZH)
    expect(page.get_by_test_id("picker-org")).to_have_value(UNIT_NAME_ZH)
    rows = page.locator("[data-testid^='person-row-']")
    expect(rows.first).to_be_visible()
    for unit_cell in rows.locator("td:nth-child(3)").all_inner_texts()[:10]:
        assert UNIT in unit_cell, unit_cell


def test_typed_name_without_choosing_still_filters(new_page, login):
    """Without picking from the list (as without JavaScript), the typed name is resolved."""
    page = new_page(locale="zh-CN", java_script_enabled=False)
    login(page, HQ)
    page.goto("/orgs/people/")
    page.locator("#id_org").fill(UNIT_NAME_ZH)
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("h1")).to_contain_text(UNIT_NAME_ZH)
    expect(page.locator("[data-testid^='person-row-']").first).to_be_visible()


def test_a_bad_filter_value_is_a_message_beside_the_field(new_page, login):
    page = new_page(locale="zh-CN")
    login(page, HQ)
    response = page.goto("/orgs/people/?org=没有这个单位&q=张&active=all")
    assert response is not None and response.status == 200
    field = page.get_by_test_id("field-org")
    expect(field.locator(".errorlist")).to_contain_text("没有这个单位")
    expect(field.locator(".errorlist")).to_contain_text("您可见的组织")
    # The rest of the form is kept, and the list is filtered by it.
    expect(page.locator("#id_q")).to_have_value("张")
    expect(page.locator("#id_active")).to_have_value("all")
    expect(page.get_by_test_id("people-table")).to_be_visible()
    # A malformed date and an unknown unit on an officer's list: the same, one message each.
    response = page.goto("/health/missing/?org=ZZZ-NONE&day=2026-13-45")
    assert response is not None and response.status == 200
    expect(page.get_by_test_id("field-org").locator(".errorlist")).to_be_visible()
    expect(page.get_by_test_id("field-day").locator(".errorlist")).to_contain_text("日期")
    expect(page.get_by_test_id("missing-list")).to_be_visible()


def test_officer_list_unit_is_picked_by_tapping(new_page, login):
    page = new_page(locale="zh-CN", viewport=PHONE, has_touch=True, is_mobile=True)
    login(page, HQ)
    page.goto("/health/missing/")
    box = page.get_by_test_id("picker-org")
    box.tap()
    box.press_sequentially("光通信研究", delay=30)
    page.get_by_test_id(f"picker-option-{UNIT}").tap()
    # Choosing submits the filter at once (data-autosubmit).
    expect(page).to_have_url(re.compile(rf"org={UNIT}"))
    expect(page.locator("h1")).to_contain_text(UNIT_NAME_ZH)


def test_not_reported_is_a_list_of_cards_on_a_phone(new_page, login):
    page = new_page(locale="zh-CN", viewport=PHONE, has_touch=True, is_mobile=True)
    login(page, OFFICER)
    page.goto("/health/missing/")
    rows = page.locator("[data-testid^='missing-row-']")
    expect(rows.first).to_be_visible()
    expect_no_horizontal_overflow(page, "the not-reported list on a phone")
    width = PHONE["width"]
    checked = 0
    for row in rows.all()[:5]:
        file_link = row.get_by_role("link", name="代为填报")
        expect(file_link).to_be_visible()
        box = file_link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        phone = row.locator("a[href^='tel:']")
        if phone.count():
            phone_box = phone.bounding_box()
            assert phone_box is not None and phone_box["x"] + phone_box["width"] <= width, phone_box
            checked += 1
        # A card, not a squeezed row: the person's name heads it, above the other fields.
        name_box = row.locator("td").first.bounding_box()
        assert name_box is not None and name_box["y"] < box["y"], (name_box, box)
    assert checked, "no one on the list had a phone number to check"
