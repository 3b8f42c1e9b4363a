"""Issue 9 in Chinese: HQ clicks a dashboard tile and the list it opens has as many rows as
the tile said; an employee who has not checked in sees so on their home page, taps through
to the form, submits, and the home page says "已打卡 ✓"."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import BIN, ROOT
from tests.e2e.helpers import DEMO_PASSWORD, HQ, UNIT, count_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LIST_PAGE = 50  # health list pages show 50 rows a page
# The rows of the list each linked tile opens.
ROWS = {
    "suspected": "case-row-",
    "confirmed": "case-row-",
    "fever": "fever-row-",
    "quarantined": "quarantine-row-",
    "missing": "missing-row-",
}
NEWCOMER = "e2e_newcomer"

# A new person on the unit's roster with their own login: nobody else's test files their
# check-in, so their home page starts on "not yet" whatever ran before on this server.
NEWCOMER_SCRIPT = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from sameboat.accounts.models import Membership
from sameboat.accounts.roles import Role
from sameboat.health.services.rollup import returns_sync_headcount
from sameboat.orgs.models import Employee, Organization
org = Organization.objects.get(code={UNIT!r})
user, created = get_user_model().objects.get_or_create(username={NEWCOMER!r})
if created:
    user.set_password({DEMO_PASSWORD!r})
    user.save()
    Membership.objects.create(user=user, organization=org, role=Role.EMPLOYEE)
    Employee.objects.create(
        organization=org, group=Organization.objects.get_root(org), employee_no="E2E-NEW-1", name="新同事", user=user
    )
    returns_sync_headcount([org.pk], timezone.localdate())
"""


def _add_newcomer(server) -> None:
    done = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", NEWCOMER_SCRIPT],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_hq_tile_opens_a_list_as_long_as_its_number(new_page, login):
    page = new_page(locale="zh-CN")
    login(page, HQ)
    page.goto("/health/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    checked = 0
    for key, row_prefix in ROWS.items():
        tile = page.get_by_test_id(f"kpi-{key}")
        if tile.count() == 0 or tile.get_attribute("href") is None:
            continue
        shown = count_in(tile.locator(".kpi-value").inner_text())
        if not 0 < shown <= LIST_PAGE:
            continue
        tile.click()
        expect(page.locator(f"[data-testid^='{row_prefix}']")).to_have_count(shown)
        checked += 1
        page.go_back()
    assert checked, "no linked tile with a number between 1 and one page in the demo world"


def test_employee_home_says_not_yet_then_done(new_page, login, server):
    _add_newcomer(server)
    page = new_page(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    login(page, NEWCOMER)
    page.goto("/")
    card = page.get_by_test_id("home-checkin")
    expect(card).to_be_visible()
    expect(page.get_by_test_id("home-checkin-not-yet")).to_have_text("今天还未打卡。")
    expect(page.get_by_test_id("home-checkin-done")).to_have_count(0)
    page.get_by_test_id("home-checkin-go").click()
    form = page.get_by_test_id("checkin-form")
    expect(form).to_be_visible()
    page.get_by_test_id("checkin-temperature").fill("36.5")
    form.locator("input[name='work_status'][value='cloud']").check()
    page.get_by_test_id("checkin-submit").click()
    expect(page.get_by_test_id("checkin-done")).to_be_visible()
    page.goto("/")
    done = page.get_by_test_id("home-checkin-done")
    expect(done).to_be_visible()
    expect(done).to_contain_text("已打卡 ✓")
    expect(page.get_by_test_id("home-checkin-not-yet")).to_have_count(0)
