"""On a phone (375 x 812) the pages fit the screen: nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    EMPLOYEE,
    OFFICER,
    UNIT,
    expect_no_horizontal_overflow,
    login_through_form,
)

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def phone(new_page):
    """A page in a fresh phone-sized context."""
    return new_page(**PHONE)


def test_employee_pages_fit_a_phone(phone):
    """The login page, the personal home page and the person's own roster entry."""
    phone.goto("/accounts/login/")
    expect_no_horizontal_overflow(phone, "login page")
    login_through_form(phone, EMPLOYEE)
    expect(phone.get_by_test_id("home-title")).to_be_visible()
    expect(phone.get_by_test_id("my-entry")).to_be_visible()
    expect_no_horizontal_overflow(phone, "employee home")
    phone.get_by_test_id("my-entry").get_by_role("link").click()
    expect(phone.get_by_test_id("person-title")).to_be_visible()
    expect_no_horizontal_overflow(phone, "own roster entry")
    phone.get_by_test_id("nav-profile").click()
    expect_no_horizontal_overflow(phone, "profile")


def test_officer_pages_fit_a_phone(phone):
    """The officer's dashboard, tree, organisation page, roster and a person."""
    login_through_form(phone, OFFICER)
    expect(phone.get_by_test_id("home-title")).to_be_visible()
    expect_no_horizontal_overflow(phone, "officer dashboard")

    phone.get_by_test_id("nav-orgs").click()
    expect(phone.get_by_test_id("org-tree")).to_be_visible()
    toggle = phone.get_by_test_id(f"org-toggle-{UNIT}")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect_no_horizontal_overflow(phone, "organisation tree")

    phone.get_by_test_id(f"org-link-{UNIT}").click()
    expect(phone.get_by_test_id("org-detail-title")).to_be_visible()
    expect_no_horizontal_overflow(phone, "organisation page")

    phone.get_by_test_id("nav-people").click()
    expect(phone.get_by_test_id("people-table")).to_be_visible()
    expect_no_horizontal_overflow(phone, "people list")
    phone.get_by_test_id("people-table").locator("tbody tr").first.get_by_role("link").first.click()
    expect(phone.get_by_test_id("person-title")).to_be_visible()
    expect_no_horizontal_overflow(phone, "person page")

    phone.get_by_test_id("nav-import").click()
    expect(phone.get_by_test_id("import-form")).to_be_visible()
    expect_no_horizontal_overflow(phone, "import page")
    phone.goto("/jobs/")
    expect(phone.get_by_test_id("job-list")).to_be_visible()
    expect_no_horizontal_overflow(phone, "job list")
