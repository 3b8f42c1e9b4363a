"""Small things the browser tests share: the demo logins and how a person signs in."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

DEMO_PASSWORD = "sameboat-demo"  # published with the demo world (sameboat demo --logins)

# Demo logins (src/sameboat/demo/logins.py) and the organisations the tests walk through.
HQ = "hq"  # HQ commander on the group TZET
OFFICER = "officer"  # unit officer on TZ02-U1
EMPLOYEE = "employee"  # employee on TZ02-U1, no subtree
GROUP = "TZET"
COMPANY = "TZ02"  # Tongzhou Communication Technology Co., Ltd. (more than one page of people)
UNIT = "TZ02-U1"  # Wuhan Optical Communication Institute
UNIT_NAME_EN = "Wuhan Optical Communication Institute"
DEPARTMENT = "TZ02-U1-D1"  # under UNIT
GROUP_NAME_ZH = "同舟电子科技集团有限公司"


def login_through_form(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill the login form as a person would and wait to leave the login page."""
    page.goto("/accounts/login/")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def expect_no_horizontal_overflow(page: Any, what: str) -> None:
    """The page fits the viewport's width: nothing makes the body scroll sideways."""
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    if widths["scroll"] > widths["inner"] + 1:
        culprits = page.evaluate(
            """() => {
                const limit = window.innerWidth + 1;
                return Array.from(document.querySelectorAll('body *'))
                  .filter(el => el.getBoundingClientRect().right > limit)
                  .slice(0, 8)
                  .map(el => el.tagName.toLowerCase()
                    + (el.id ? '#' + el.id : '')
                    + (el.className && typeof el.className === 'string'
                       ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                    + (el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '')
                    + ' right=' + Math.round(el.getBoundingClientRect().right));
            }"""
        )
        raise AssertionError(
            f"{what} ({page.url}) overflows sideways: scrollWidth {widths['scroll']} > "
            f"innerWidth {widths['inner']}; widest elements: {culprits}"
        )


def count_in(text: str) -> int:
    """The number shown in a KPI tile or a pager ("1,234" -> 1234)."""
    match = re.search(r"\d[\d,]*", text)
    assert match, f"no number in {text!r}"
    return int(match.group(0).replace(",", ""))


def expect_dashboard(page: Any) -> None:
    """The person landed on their home page."""
    expect(page.get_by_test_id("home-title")).to_be_visible()


def go_offline(page: Any) -> None:
    """Cut the network once the page's service worker is installed.

    Going offline while the browser still fetches the worker's script makes Chromium log
    "An unknown error occurred when fetching the script", which is the test's race, not
    the page's: a person goes offline long after the page has loaded.
    """
    page.evaluate(
        """() => !navigator.serviceWorker ? true : Promise.race([
            navigator.serviceWorker.ready.then(() => true),
            new Promise((resolve) => setTimeout(() => resolve(false), 10000)),
        ])"""
    )
    page.context.set_offline(True)
