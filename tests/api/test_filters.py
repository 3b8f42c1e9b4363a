"""The list filters narrow what the caller may see; they never widen it."""

from __future__ import annotations

import pytest

from sameboat.accounts.roles import Role
from tests.api.conftest import as_user
from tests.factories import RegionFactory, grant, make_employee

pytestmark = pytest.mark.django_db


def codes(response, key="code") -> set[str]:
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


def test_organization_filters(world):
    client = as_user(world.hq)
    assert codes(client.get("/api/v1/organizations/?kind=company")) == {"CA", "CB"}
    assert codes(client.get("/api/v1/organizations/?parent=GRP")) == {"CA", "CB"}
    assert codes(client.get("/api/v1/organizations/?parent=CA")) == {"CA1"}
    assert codes(client.get("/api/v1/organizations/?search=乙")) == {"CB", "CB1"}
    assert codes(client.get("/api/v1/organizations/?search=unit a")) == {"CA1"}
    # Officer A searching for company B's name finds nothing.
    assert codes(as_user(world.officer_a).get("/api/v1/organizations/?search=Company B")) == set()


def test_organization_fields(world):
    row = as_user(world.hq).get(f"/api/v1/organizations/{world.unit_a1.pk}/").json()
    assert row["name_zh"] == "甲一单位" and row["name_en"] == "Unit A1"
    assert (row["kind"], row["kind_label"]) == ("unit", "Unit")
    assert row["country"] == "CN" and row["depth"] == 3
    assert row["parent_path"] == world.company_a.path and row["path"].startswith(row["parent_path"])


def test_employee_filters(world):
    make_employee(world.unit_a1, employee_no="A-002", name="王五", is_active=False)
    make_employee(world.company_a, employee_no="A-003", name="赵六", name_en="Zhao Liu")
    client = as_user(world.hq)
    nos = lambda url: codes(client.get(url), "employee_no")  # noqa: E731
    assert nos("/api/v1/employees/") == {"A-001", "A-003", "B-001"}
    assert nos("/api/v1/employees/?active=false") == {"A-002"}
    assert nos("/api/v1/employees/?active=all&org=CA") == {"A-001", "A-002", "A-003"}
    assert nos("/api/v1/employees/?org=CA1") == {"A-001"}
    assert nos("/api/v1/employees/?search=zhao") == {"A-003"}
    assert nos("/api/v1/employees/?search=B-00") == {"B-001"}
    row = client.get(f"/api/v1/employees/{world.employee_a.pk}/").json()
    assert (row["unit"], row["unit_name_zh"], row["unit_name_en"]) == ("CA1", "甲一单位", "Unit A1")
    assert row["has_login"] is True


def test_membership_filters(world):
    grant(world.nobody, world.unit_b1, Role.VIEWER)
    client = as_user(world.hq)
    users = lambda url: codes(client.get(url), "username")  # noqa: E731
    assert users("/api/v1/memberships/?org=CB") == {"officer_b", "nobody"}
    assert users("/api/v1/memberships/?role=viewer") == {"viewer_a", "nobody"}
    assert users("/api/v1/memberships/?org=CA&role=unit_officer") == {"officer_a"}


def test_region_filters(world):
    RegionFactory(code="CN-HB", name_zh="湖北", name_en="Hubei")
    RegionFactory(code="LK-1", name_zh="西部省", name_en="Western Province", country="LK")
    client = as_user(world.nobody)
    assert codes(client.get("/api/v1/regions/?country=lk")) == {"LK-1"}
    assert codes(client.get("/api/v1/regions/?search=湖")) == {"CN-HB"}
    row = client.get("/api/v1/regions/?country=LK").json()["results"][0]
    assert row["country"] == "LK" and row["current_rule"] is None
