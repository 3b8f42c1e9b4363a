"""The region list and a region's page in Chinese, as HQ reads and sets the rules."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import HQ

ADMIN = "admin"  # the demo superuser (src/sameboat/demo/logins.py)

pytestmark = pytest.mark.browser

# The demo world's countries as the list shows them in Chinese: home (China) first, then
# by pinyin: 巴基斯坦 (ba), 不丹 (bu), 缅甸 (mian), 斯里兰卡 (si).
COUNTRIES = ["CN", "PK", "BT", "MM", "LK"]
FIRST_CHINESE_REGIONS = ["安徽省", "北京市", "成都市", "重庆市", "广东省"]


def test_regions_grouped_by_country_and_a_regions_page_in_chinese(new_page, login):
    page = new_page(locale="zh-CN")
    login(page, HQ)
    page.goto("/orgs/regions/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    groups = page.locator("tbody[data-testid^=region-group-]")
    expect(groups).to_have_count(len(COUNTRIES))
    codes = [g.get_attribute("data-testid").removeprefix("region-group-") for g in groups.all()]
    assert codes == COUNTRIES
    home = page.get_by_test_id("region-group-CN")
    expect(home.get_by_test_id("region-country")).to_have_text("中国")
    names = home.locator("tr[data-testid^=region-row-] td:first-child a").all_inner_texts()
    assert names[: len(FIRST_CHINESE_REGIONS)] == FIRST_CHINESE_REGIONS
    # The first row of the page is no longer 不丹; it sits under its own country.
    first = page.locator("tr[data-testid^=region-row-]").first
    expect(first).to_have_attribute("data-testid", "region-row-CN-AH")
    bhutan = page.get_by_test_id("region-group-BT")
    expect(bhutan.get_by_test_id("region-country")).to_have_text("不丹")
    # Caps read as percentages, never as 0–1 shares.
    for cell in page.locator("tr[data-testid^=region-row-] td:nth-child(3)").all_inner_texts():
        assert re.fullmatch(r"\d{1,3}(\.\d)?%", cell), cell

    # Bhutan's page: its name once, the English name and the code as secondary text.
    bhutan.get_by_role("link", name="不丹").click()
    expect(page.get_by_test_id("region-title")).to_have_text("不丹")
    subtitle = page.get_by_test_id("region-subtitle")
    expect(subtitle).to_contain_text("Bhutan")
    expect(subtitle).to_contain_text("BT")
    expect(subtitle).not_to_contain_text("不丹")
    expect(page.get_by_test_id("region-current")).to_contain_text("在岗率上限 100%")

    # Bhutan's rules bind an organisation outside the group, so the group's HQ may not set
    # them; the administrator may. The cap is typed as a percentage and read back as one
    # (on an old date, so only the history changes).
    expect(page.get_by_test_id("region-rule-form")).to_have_count(0)
    url = page.url
    page = new_page(locale="zh-CN")
    login(page, ADMIN)
    page.goto(url)
    form = page.get_by_test_id("region-rule-form")
    expect(form.get_by_label("在岗率上限（%）")).to_be_visible()
    form.get_by_label("生效日期").fill("2020-01-01")
    form.get_by_label("在岗率上限（%）").fill("12.5")
    form.get_by_label("隔离天数", exact=False).fill("14")
    form.get_by_test_id("region-rule-submit").click()
    rows = page.get_by_test_id("rule-row")
    expect(rows.filter(has_text="2020-01-01")).to_contain_text("12.5%")

    # A share typed as before (150 is not a percentage) is refused beside the field.
    form = page.get_by_test_id("region-rule-form")
    form.get_by_label("生效日期").fill("2020-01-02")
    form.get_by_label("在岗率上限（%）").fill("150")
    form.get_by_label("隔离天数", exact=False).fill("14")
    form.get_by_test_id("region-rule-submit").click()
    expect(page.get_by_test_id("field-max_onsite_percent")).to_contain_text("在岗率上限须为 0 到 100 之间的百分数。")
