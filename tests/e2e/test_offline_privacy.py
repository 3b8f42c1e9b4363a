"""An officer's phone keeps no check-in pages about other people: the service worker never
stores them, and logging out drops what it kept for the officer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import OFFICER, login_through_form

pytestmark = pytest.mark.browser

# Every URL in the service worker's caches (Cache Storage is shared by the whole origin).
CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) { urls.push(name + " " + request.url); }
  }
  return urls;
}"""


def _cached(page) -> list[str]:
    return page.evaluate(CACHED_URLS)


def _someone_else(page) -> int:
    """The id of a person on the officer's roster whose check-in page is not the officer's own."""
    page.goto("/orgs/people/")
    links = page.get_by_test_id("people-table").locator("tbody tr a[href*='/orgs/people/']")
    for href in [links.nth(i).get_attribute("href") for i in range(min(links.count(), 5))]:
        pk = int(re.search(r"/orgs/people/(\d+)/", href).group(1))
        page.goto(f"/health/checkin/?employee={pk}")
        if page.get_by_test_id("checkin-for-someone").count():
            return pk
    pytest.fail("no one else on the officer's roster to file for")


def test_officers_pages_for_others_are_never_cached_and_logout_clears_the_rest(new_page):
    page = new_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    # A login of its own (not the shared session): logging out ends it.
    login_through_form(page, OFFICER)
    page.goto("/health/checkin/")
    if page.get_by_test_id("checkin-no-roster").count():
        pytest.skip("the officer login has no roster entry in this demo")
    assert page.evaluate("() => navigator.serviceWorker.ready.then((r) => Boolean(r.active))")
    # The worker keeps the officer's own page for offline use...
    page.wait_for_function(
        """async () => {
          for (const name of await caches.keys()) {
            if (await (await caches.open(name)).match('/health/checkin/')) { return true; }
          }
          return false;
        }"""
    )
    # ...and the page for someone else comes from the network through the worker.
    other = _someone_else(page)
    page.reload()
    expect(page.get_by_test_id("checkin-for-someone")).to_be_visible()
    assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)")
    page.wait_for_timeout(500)  # the worker stores in the background: give it the chance
    assert not [url for url in _cached(page) if f"employee={other}" in url]

    page.get_by_test_id("nav-logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("data-offline-forgotten", "true")
    left = [url for url in _cached(page) if "/health/" in url]
    assert left == [], left
