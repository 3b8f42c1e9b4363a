"""Fixtures for the whole suite: a small world with a group, two sibling companies and
users in and out of scope, the same shape the scope matrix tests use everywhere.

The habits a new domain's tests copy:
- Log in through the fixtures, never by hand: ``hq_client``, ``officer_a_client``,
  ``viewer_a_client``, ``officer_b_client``, ``employee_client``, ``nobody_client`` for the
  world's roles, ``client_as(user)`` for anyone else (a new client per call), and
  ``api_as(user)`` for the API (anonymous with no user).
- A query count pins a page that worked: assert the status (and something of the
  content) of every response counted, or a 404 or a redirect passes for cheap.
- Patch only public seams (a setting, a public function or constant, the clock), never a
  ``_private`` function: the test should survive a refactor that keeps the behaviour.
- A test that depends on "today" runs on the fixed clock (``frozen_today``; every health
  test does through tests/health/conftest.py), never on the machine's date.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from sameboat.accounts.roles import Role
from sameboat.orgs.models import OrgKind
from tests.clock import FROZEN_NOW, frozen_clock
from tests.factories import UserFactory, grant, make_employee, make_org

CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language. LocaleMiddleware activates a request's
    language on the worker thread and nothing deactivates it, so without this a test that
    stores generated text (a quarantine reason, say) would see whichever language the
    previous test's request left behind."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_region_cache():
    """Test databases roll back, so a region id remembered by region_by_code in one test
    may not exist in the next."""
    from sameboat.orgs.selectors import region_cache_clear

    region_cache_clear()
    yield
    region_cache_clear()


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache (memory in tests): one test's logins and
    edits must not use up the next one's budget."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """PostgreSQL-only tests skip on SQLite, except under CI where that is a failure."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if CI:
            pytest.fail("CI=true: this test needs PostgreSQL and must not be skipped.")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@dataclass
class World:
    group: object
    company_a: object
    unit_a1: object
    company_b: object
    unit_b1: object
    hq: object  # HQ commander on the group
    officer_a: object  # unit officer on company A
    viewer_a: object  # read-only viewer on company A
    officer_b: object  # unit officer on company B (sibling of A)
    employee_user: object  # an employee of unit A1 with a login, no subtree role
    nobody: object  # a login with no membership at all
    employee_a: object
    employee_b: object


@pytest.fixture
def world(db) -> World:
    group = make_org(None, code="GRP", kind=OrgKind.GROUP, name_en="Demo Group", name_zh="演示集团")
    company_a = make_org(group, code="CA", kind=OrgKind.COMPANY, name_en="Company A", name_zh="甲公司")
    unit_a1 = make_org(company_a, code="CA1", kind=OrgKind.UNIT, name_en="Unit A1", name_zh="甲一单位")
    company_b = make_org(group, code="CB", kind=OrgKind.COMPANY, name_en="Company B", name_zh="乙公司")
    unit_b1 = make_org(company_b, code="CB1", kind=OrgKind.UNIT, name_en="Unit B1", name_zh="乙一单位")
    hq = UserFactory(username="hq")
    grant(hq, group, Role.HQ_COMMANDER)
    officer_a = UserFactory(username="officer_a")
    grant(officer_a, company_a, Role.UNIT_OFFICER)
    viewer_a = UserFactory(username="viewer_a")
    grant(viewer_a, company_a, Role.VIEWER)
    officer_b = UserFactory(username="officer_b")
    grant(officer_b, company_b, Role.UNIT_OFFICER)
    employee_user = UserFactory(username="worker_a")
    grant(employee_user, unit_a1, Role.EMPLOYEE)
    nobody = UserFactory(username="nobody")
    employee_a = make_employee(unit_a1, employee_no="A-001", name="张三", user=employee_user)
    employee_b = make_employee(unit_b1, employee_no="B-001", name="李四")
    return World(
        group,
        company_a,
        unit_a1,
        company_b,
        unit_b1,
        hq,
        officer_a,
        viewer_a,
        officer_b,
        employee_user,
        nobody,
        employee_a,
        employee_b,
    )


# --- time ----------------------------------------------------------------------------------------


@pytest.fixture
def frozen_today() -> Iterator[datetime.date]:
    """Freeze the clock at FROZEN_NOW (it keeps ticking from there) and give its local date.

    Use it, or a fixture built on it, in every test that depends on "today": check-in days,
    quarantine ends, roll-ups by day. The database sees the same day because nothing in
    ``src`` asks the database for its clock. Not for tests/e2e: the live server runs in
    another thread, and the browser in another process, with their own clocks.
    """
    with frozen_clock():
        yield FROZEN_NOW.date()


# --- clients per role ------------------------------------------------------------------------------


@pytest.fixture
def client_as(db) -> Callable[..., Client]:
    """A factory of Django test clients logged in as a given user (a new client per call)."""

    def make(user, **kwargs) -> Client:
        client = Client(**kwargs)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_as(db) -> Callable[..., APIClient]:
    """A factory of API clients acting as a given user (anonymous when None)."""

    def make(user=None, **kwargs) -> APIClient:
        client = APIClient(**kwargs)
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def hq_client(world, client_as) -> Client:
    return client_as(world.hq)


@pytest.fixture
def officer_a_client(world, client_as) -> Client:
    return client_as(world.officer_a)


@pytest.fixture
def viewer_a_client(world, client_as) -> Client:
    return client_as(world.viewer_a)


@pytest.fixture
def officer_b_client(world, client_as) -> Client:
    return client_as(world.officer_b)


@pytest.fixture
def employee_client(world, client_as) -> Client:
    return client_as(world.employee_user)


@pytest.fixture
def nobody_client(world, client_as) -> Client:
    return client_as(world.nobody)
