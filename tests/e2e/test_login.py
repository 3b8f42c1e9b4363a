"""Logging in and out, and the lockout after too many wrong passwords."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import HQ, count_in, login_through_form

pytestmark = pytest.mark.browser


def test_hq_logs_in_sees_the_dashboard_and_logs_out(page):
    """A person opens the site, is sent to the login form, lands on the dashboard, leaves."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    page.get_by_test_id("login-username").fill(HQ)
    page.get_by_test_id("login-password").fill("sameboat-demo")
    page.get_by_test_id("login-submit").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("home-title")).to_have_text("Dashboard")
    for tile in ("kpi-orgs", "kpi-people", "kpi-memberships", "kpi-unread"):
        expect(page.get_by_test_id(tile)).to_be_visible()
    # HQ commands the whole group: many organisations and people in scope.
    assert count_in(page.get_by_test_id("kpi-orgs").inner_text()) > 10
    assert count_in(page.get_by_test_id("kpi-people").inner_text()) > 50
    expect(page.get_by_test_id("mainnav")).to_be_visible()

    page.get_by_test_id("nav-logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_test_id("login-form")).to_be_visible()
    # The session is gone: the dashboard asks for a login again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_five_wrong_passwords_lock_the_login_with_a_clear_page(page, page_problems):
    """django-axes locks a username after five failures; other people can still log in."""
    # The lockout answers with an error status, which Chromium logs to the console.
    page_problems.allow(r"status of (403|429)")
    username = f"nobody-{uuid.uuid4().hex[:8]}"  # nobody else needs this login
    page.goto("/accounts/login/")
    locked = page.get_by_test_id("locked-out")
    for attempt in range(1, 6):
        page.get_by_test_id("login-username").fill(username)
        page.get_by_test_id("login-password").fill(f"wrong-{attempt}")
        page.get_by_test_id("login-submit").click()
        page.wait_for_load_state()
        if attempt < 5:
            expect(page.get_by_test_id("form-errors")).to_be_visible()
            expect(locked).to_have_count(0)

    expect(locked).to_have_text("Too many failed logins")
    expect(page.locator("main")).to_contain_text("5 failed attempts")
    expect(page.get_by_role("link", name="Back to the login page")).to_be_visible()

    # Still locked on the next try, even with another password.
    page.get_by_role("link", name="Back to the login page").click()
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill("sameboat-demo")
    page.get_by_test_id("login-submit").click()
    expect(locked).to_be_visible()

    # The lock is on that username only: HQ logs in from the same browser.
    login_through_form(page, HQ)
    expect(page.get_by_test_id("home-title")).to_be_visible()
