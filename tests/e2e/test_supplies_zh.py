"""Supplies in Chinese (issue 10): HQ receives a donation into the group's warehouse and
sends part of it to a unit's store; the unit's officer issues from there; each stock card
shows the change, and the officer sees no other store."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import HQ, OFFICER

pytestmark = pytest.mark.browser

WAREHOUSE, STORE = "WH-TZET-BJ", "ST-TZ02-U1"
MASKS = "MASK-KN95"


def on_hand(page) -> int:
    return int(page.get_by_test_id("on-hand").inner_text())


def test_receive_transfer_and_issue_in_chinese(new_page, login):
    hq = new_page(locale="zh-CN")
    login(hq, HQ)
    hq.get_by_test_id("nav-supplies").click()
    expect(hq.locator("h1").first).to_have_text("库存")
    hq.get_by_test_id(f"location-{WAREHOUSE}").click()
    hq.get_by_test_id(f"card-{MASKS}").click()
    before = on_hand(hq)

    # A second donation arrives: a receipt with its lot and expiry.
    hq.get_by_test_id("move-receipt").click()
    expect(hq.get_by_test_id("move-form-title")).to_contain_text("入库")
    form = hq.get_by_test_id("move-form")
    form.locator("select[name='item']").select_option(label=f"{MASKS} · KN95 口罩")
    form.locator("input[name='quantity']").fill("2000")
    form.locator("input[name='lot']").fill("TR-0219")
    form.locator("input[name='expiry']").fill("2028-06-30")
    form.locator("input[name='reference']").fill("DON-TR-0219")
    hq.get_by_test_id("move-submit").click()
    expect(hq.locator(".messages")).to_contain_text("已登记入库")
    expect(hq.get_by_test_id("on-hand")).to_have_text(str(before + 2000))
    first_line = hq.get_by_test_id("card-lines").locator("tbody tr").first
    expect(first_line.get_by_test_id("delta")).to_have_text("+2000")

    # Without an expiry date the receipt is refused on that field, and nothing moves.
    hq.get_by_test_id("move-receipt").click()
    form = hq.get_by_test_id("move-form")
    form.locator("select[name='item']").select_option(label=f"{MASKS} · KN95 口罩")
    form.locator("input[name='quantity']").fill("5")
    form.locator("input[name='lot']").fill("TR-0220")
    hq.get_by_test_id("move-submit").click()
    expect(hq.get_by_test_id("field-expiry")).to_contain_text("必须有有效期")
    hq.go_back()
    hq.go_back()
    hq.reload()
    expect(hq.get_by_test_id("on-hand")).to_have_text(str(before + 2000))

    # Part of it goes to the Wuhan institute's store.
    hq.get_by_test_id("move-transfer").click()
    form = hq.get_by_test_id("move-form")
    form.locator("select[name='item']").select_option(label=f"{MASKS} · KN95 口罩")
    form.locator("input[name='quantity']").fill("500")
    destination = form.locator("select[name='destination'] option", has_text="武汉光通信研究所防疫物资库")
    form.locator("select[name='destination']").select_option(destination.get_attribute("value"))
    hq.get_by_test_id("move-submit").click()
    expect(hq.get_by_test_id("on-hand")).to_have_text(str(before + 1500))

    # The unit's officer sees their own store only, and issues from it.
    officer = new_page(locale="zh-CN")
    login(officer, OFFICER)
    officer.get_by_test_id("nav-supplies").click()
    expect(officer.get_by_test_id(f"location-{STORE}")).to_be_visible()
    expect(officer.get_by_test_id(f"location-{WAREHOUSE}")).to_have_count(0)
    officer.get_by_test_id(f"location-{STORE}").click()
    expect(officer.get_by_test_id("move-receipt")).to_have_count(0)  # receipts are the supply chain's
    officer.get_by_test_id(f"card-{MASKS}").click()
    top = officer.get_by_test_id("card-lines").locator("tbody tr").first
    expect(top.get_by_test_id("delta")).to_have_text("+500")
    stock = on_hand(officer)
    officer.get_by_test_id("move-issue").click()
    form = officer.get_by_test_id("move-form")
    form.locator("input[name='quantity']").fill(str(stock + 1))
    officer.get_by_test_id("move-submit").click()
    expect(officer.get_by_test_id("field-quantity")).to_contain_text(f"只有 {stock}")
    form = officer.get_by_test_id("move-form")
    form.locator("input[name='quantity']").fill("100")
    form.locator("input[name='reference']").fill("光器件研究室")
    officer.get_by_test_id("move-submit").click()
    expect(officer.get_by_test_id("on-hand")).to_have_text(str(stock - 100))
    top = officer.get_by_test_id("card-lines").locator("tbody tr").first
    expect(top.get_by_test_id("delta")).to_have_text("-100")
    expect(top.get_by_test_id("after")).to_have_text(str(stock - 100))
    expect(top).to_contain_text("发放")
