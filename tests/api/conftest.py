"""Fixtures of the API tests: a client per user and one record of each kind per company."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from sameboat.accounts.roles import Role
from sameboat.orgs.models import LeadershipGroup, LeadershipMember
from tests.factories import RegionFactory, RegionRuleFactory, UserFactory, grant


def as_user(user=None, **kwargs) -> APIClient:
    """An API client acting as ``user`` (anonymous when None); the same as the suite's
    ``api_as`` fixture, which tests outside tests/api use (this one serves module-level
    code too, such as the schema and fuzz strategies)."""
    client = APIClient(**kwargs)
    if user is not None:
        client.force_authenticate(user)
    return client


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The response is the one error shape with this status (and code); returns the error."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


@dataclass
class Records:
    """One record of each kind in company A's subtree and one in company B's."""

    a: dict
    b: dict
    region: object


@pytest.fixture
def manager_a(world):
    """A unit manager on company A: administers its subtree (memberships, organisations)."""
    user = UserFactory(username="manager_a")
    grant(user, world.company_a, Role.UNIT_MANAGER)
    return user


@pytest.fixture
def records(world) -> Records:
    staff_a = UserFactory(username="staff_a")
    staff_b = UserFactory(username="staff_b")
    group_a = LeadershipGroup.objects.create(organization=world.company_a, name="A group")
    group_b = LeadershipGroup.objects.create(organization=world.company_b, name="B group")
    LeadershipMember.objects.create(group=group_a, position="leader", person_name="王五", duty="Overall")
    LeadershipMember.objects.create(group=group_b, position="leader", person_name="赵六", duty="Overall")
    region = RegionFactory(code="CN-HB", name_zh="湖北", name_en="Hubei")
    RegionRuleFactory(region=region, effective_from="2020-01-23", risk_level="high", max_onsite_ratio="0.2")
    return Records(
        a={
            "organizations": world.unit_a1.pk,
            "employees": world.employee_a.pk,
            "memberships": grant(staff_a, world.unit_a1, Role.VIEWER).pk,
            "leadership-groups": group_a.pk,
        },
        b={
            "organizations": world.unit_b1.pk,
            "employees": world.employee_b.pk,
            "memberships": grant(staff_b, world.unit_b1, Role.VIEWER).pk,
            "leadership-groups": group_b.pk,
        },
        region=region,
    )
