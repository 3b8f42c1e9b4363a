"""Issue 9 in Chinese: logistics, desk and member users each land on their own page
after signing in (and on the home page), which says plainly that their work is not in Sameboat
yet, with no dashboard of figures that do not concern them; the health menu is offered only to
the roles whose staff it counts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login_through_form

pytestmark = pytest.mark.browser

# Demo login -> (its role's landing key, its page title, words of its "not yet" message).
LANDINGS = {
    "logistics": ("pending.logistics_officer", "物流", "发运"),
    "desk": ("pending.desk_agent", "联盟服务台", "对接"),
    "member": ("pending.alliance_member", "联盟会员企业", "需求"),
}


@pytest.mark.parametrize("username", list(LANDINGS))
def test_each_role_lands_on_its_own_page(new_page, username):
    key, title, words = LANDINGS[username]
    page = new_page(locale="zh-CN")
    login_through_form(page, username)
    landing = page.get_by_test_id(f"landing-{key}")
    expect(landing).to_be_visible()
    expect(page.get_by_test_id("home-title")).to_have_text(title)
    expect(landing).to_contain_text("尚未")
    expect(page.get_by_test_id("landing-message")).to_contain_text(words)
    # No dashboard: not a single key figure on the page.
    expect(page.locator(".kpi")).to_have_count(0)
    # The home page is the same landing, every time.
    page.get_by_test_id("nav-home").click()
    expect(page.get_by_test_id(f"landing-{key}")).to_be_visible()


@pytest.mark.parametrize("username", ["desk", "member"])
def test_alliance_roles_are_not_offered_the_health_dashboard(new_page, login, username):
    page = new_page(locale="zh-CN")
    login(page, username)
    page.goto("/")
    expect(page.get_by_test_id("nav-health")).to_have_count(0)
    expect(page.get_by_test_id("link-health")).to_have_count(0)


def test_supplies_officer_lands_on_the_stock(new_page):
    page = new_page(locale="zh-CN")
    login_through_form(page, "supplies")
    expect(page).to_have_url(re.compile(r"/supplies/"))
    expect(page.get_by_test_id("balance-list")).to_be_visible()
    expect(page.locator("h1")).to_have_text("库存")
    page.get_by_test_id("nav-home").click()
    expect(page.get_by_test_id("balance-list")).to_be_visible()


def test_hq_still_lands_on_the_dashboard(new_page):
    page = new_page(locale="zh-CN")
    login_through_form(page, "hq")
    expect(page.get_by_test_id("home-title")).to_have_text("工作台")
    expect(page.locator(".kpi").first).to_be_visible()
    expect(page.get_by_test_id("nav-health")).to_be_visible()
