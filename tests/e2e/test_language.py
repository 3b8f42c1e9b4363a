"""The language switcher in the header: the page comes back in Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import GROUP, GROUP_NAME_ZH, HQ

pytestmark = pytest.mark.browser


def switch_to_chinese(page) -> None:
    """Choose 简体中文 in the header's language menu (it submits itself)."""
    page.get_by_test_id("language-select").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_language_switcher_reloads_the_page_in_chinese(page, login):
    """Records carry their Chinese names: the group shows as 同舟电子科技集团有限公司."""
    login(page, HQ)
    page.goto("/orgs/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id(f"org-link-{GROUP}")).not_to_have_text(GROUP_NAME_ZH)

    switch_to_chinese(page)

    expect(page).to_have_url(re.compile(r"/orgs/$"))  # back on the same page
    expect(page.get_by_test_id(f"org-link-{GROUP}")).to_have_text(GROUP_NAME_ZH)
    expect(page.get_by_test_id("language-select")).to_have_value("zh-hans")
    # The choice sticks for the next page.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_chinese_interface_text_in_the_menu(page, login):
    """The menu itself is translated (needs the zh_Hans catalogue compiled)."""
    login(page, HQ)
    page.goto("/")
    switch_to_chinese(page)
    expect(page.get_by_test_id("nav-orgs")).to_contain_text("组织")
    expect(page.get_by_test_id("nav-people")).to_contain_text("人员")
