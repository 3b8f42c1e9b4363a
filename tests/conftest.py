"""Fixtures for the whole suite: a small world with a group, two sibling companies and
users in and out of scope, the same shape the scope matrix tests use everywhere."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from sameboat.accounts.roles import Role
from sameboat.orgs.models import OrgKind
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


@pytest.fixture(autouse=True, scope="session")
def _test_audit_actions():
    """Tests record events of their own (``tests.thing.done``): their codes are registered
    like an app's, since an unregistered code fails under TESTING."""
    from sameboat.core.audit import AuditAction, audit_actions

    audit_actions.register(AuditAction("tests.*", "Test action"), replace=True)
    yield
    audit_actions.unregister("tests.*")


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
