"""Browsing the organisation tree and the roster as HQ would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    COMPANY,
    DEPARTMENT,
    GROUP,
    HQ,
    UNIT,
    UNIT_NAME_EN,
    count_in,
)

pytestmark = pytest.mark.browser

PAGE_SIZE = 50  # people per page of the roster list


def test_browse_the_tree_search_and_open_an_organisation(page, login):
    """Expand the group and a company (children load lazily), search, open, go back."""
    login(page, HQ)
    page.get_by_test_id("nav-orgs").click()
    expect(page).to_have_url(re.compile(r"/orgs/$"))
    tree = page.get_by_test_id("org-tree")
    expect(tree.get_by_test_id(f"org-node-{GROUP}")).to_be_visible()
    expect(tree.get_by_test_id(f"org-node-{COMPANY}")).to_have_count(0)

    # Expanding the group fetches its children with htmx, on the same page.
    group_toggle = page.get_by_test_id(f"org-toggle-{GROUP}")
    expect(group_toggle).to_have_attribute("aria-expanded", "false")
    group_toggle.click()
    expect(group_toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id(f"org-children-{GROUP}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/orgs/$"))

    company_toggle = page.get_by_test_id(f"org-toggle-{COMPANY}")
    company_toggle.click()
    expect(company_toggle).to_have_attribute("aria-expanded", "true")
    unit_link = page.get_by_test_id(f"org-children-{COMPANY}").get_by_test_id(f"org-link-{UNIT}")
    expect(unit_link).to_have_text(UNIT_NAME_EN)

    # Collapsing hides the children again without another request.
    company_toggle.click()
    expect(company_toggle).to_have_attribute("aria-expanded", "false")
    expect(unit_link).to_be_hidden()

    # Search by part of the name.
    page.get_by_test_id("org-search-input").fill("Optical Communication")
    page.get_by_test_id("org-search").get_by_role("button").click()
    results = page.get_by_test_id("org-search-results")
    expect(results.get_by_test_id(f"org-result-{UNIT}")).to_be_visible()
    results.get_by_test_id(f"org-result-{UNIT}").get_by_role("link").click()

    # The organisation's page: name, children, leadership group, region rules.
    expect(page.get_by_test_id("org-detail-title")).to_contain_text(UNIT_NAME_EN)
    expect(page.get_by_test_id("org-children").get_by_test_id(f"child-{DEPARTMENT}")).to_be_visible()
    leadership = page.get_by_test_id("org-leadership")
    expect(leadership.get_by_test_id("leadership-table")).to_be_visible()
    expect(leadership.get_by_test_id("leadership-table").locator("tbody tr")).not_to_have_count(0)
    expect(leadership).to_contain_text("Leader")
    region = page.get_by_test_id("org-region")
    expect(region).to_contain_text("Wuhan")
    expect(region.locator("[data-testid^=risk-]")).to_be_visible()
    expect(region).to_contain_text("On site at most")

    # Back up through the breadcrumb.
    breadcrumb = page.get_by_test_id("breadcrumb")
    expect(breadcrumb.get_by_test_id(f"crumb-{GROUP}")).to_be_visible()
    breadcrumb.get_by_test_id(f"crumb-{COMPANY}").click()
    expect(page.get_by_test_id("org-detail-title")).to_contain_text(COMPANY)
    expect(page.get_by_test_id("org-children").get_by_test_id(f"child-{UNIT}")).to_be_visible()
    page.get_by_test_id("breadcrumb").get_by_role("link", name="Organisations").click()
    expect(page).to_have_url(re.compile(r"/orgs/$"))
    expect(page.get_by_test_id("org-tree")).to_be_visible()


def test_people_filtered_by_organisation_paged_and_opened(page, login):
    """Filter the roster to one company, go to page 2, open a person."""
    login(page, HQ)
    page.get_by_test_id("nav-people").click()
    filters = page.get_by_test_id("people-filters")
    box = filters.get_by_label("Organisation")
    box.fill(COMPANY)
    box.press("Escape")  # close the picker's suggestions; the typed code is resolved as it is
    filters.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(rf"[?&]org={COMPANY}"))
    pager = page.get_by_test_id("pager")
    expect(pager).to_contain_text(re.compile(r"Page 1 of \d+"))
    pages = int(re.search(r"Page 1 of (\d+)", pager.inner_text()).group(1))
    assert pages >= 2, "the small demo world should put more than one page of people in the company"
    rows = page.get_by_test_id("people-table").locator("tbody tr")
    expect(rows).to_have_count(PAGE_SIZE)
    first_page = set(rows.locator("td:first-child").all_inner_texts())

    pager.get_by_test_id("pager-next").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    expect(page).to_have_url(re.compile(rf"[?&]org={COMPANY}"))  # the filter survives paging
    expect(page.get_by_test_id("pager")).to_contain_text(f"Page 2 of {pages}")
    total = count_in(page.get_by_test_id("pager").inner_text().split("·")[-1])
    expect(rows).to_have_count(min(PAGE_SIZE, total - PAGE_SIZE))
    second_page = set(rows.locator("td:first-child").all_inner_texts())
    assert not first_page & second_page, "a person shows on both pages"
    # Everyone listed works somewhere under the company.
    for unit_code in rows.locator("td:nth-child(3) .code").all_inner_texts():
        assert unit_code == COMPANY or unit_code.startswith(f"{COMPANY}-"), unit_code

    first = rows.first
    number = first.locator("td:first-child").inner_text().strip()
    first.get_by_role("link").first.click()
    expect(page.get_by_test_id("person-title")).to_contain_text(number)
    expect(page.get_by_test_id("person-unit")).to_contain_text(COMPANY)
    expect(page.get_by_test_id("breadcrumb")).to_be_visible()
