"""Writes through the API: each endpoint's write matrix, the services' audit trail, and
refusals in the one error shape (403 not allowed, 404 out of scope, 400/422 bad input)."""

from __future__ import annotations

import pytest

from sameboat.accounts.models import Membership
from sameboat.core.models import AuditEvent
from sameboat.orgs.models import Employee, Organization, RegionRule
from tests.api.conftest import as_user, assert_error

pytestmark = pytest.mark.django_db


def who_is(world, manager_a, who):
    return manager_a if who == "manager_a" else getattr(world, who)


# --- Organisations ------------------------------------------------------------------------------

ORG_CREATE = [  # who, parent code, status
    ("hq", "CA", 201),
    ("manager_a", "CA", 201),
    ("officer_a", "CA", 403),  # reads company A, does not administer it
    ("viewer_a", "CA", 403),
    ("officer_b", "CA", 400),  # company A is out of scope: "no such organisation"
    ("nobody", "CA", 400),
    ("manager_a", None, 403),  # a new tree root is for administrators only
]


@pytest.mark.parametrize(("who", "parent", "expected"), ORG_CREATE)
def test_organization_create_matrix(world, manager_a, who, parent, expected):
    body = {"code": "CA9", "name_zh": "甲九", "name_en": "A9", "kind": "unit", "region": None}
    if parent:
        body["parent"] = parent
    response = as_user(who_is(world, manager_a, who)).post("/api/v1/organizations/", body, format="json")
    if expected == 201:
        assert response.status_code == 201, response.json()
        org = Organization.objects.get(code="CA9")
        assert response.json()["path"] == org.path and response.json()["depth"] == 3
        assert Organization.objects.get_parent(org) == world.company_a
        assert AuditEvent.objects.filter(action="orgs.organization.created", object_id=str(org.pk)).exists()
        return
    error = assert_error(response, expected)
    if expected == 400:
        assert "parent" in error["fields"]
    else:
        assert error["code"] == "permission_denied"
    assert not Organization.objects.filter(code="CA9").exists()


ORG_UPDATE = [  # who, target, status
    ("hq", "company_b", 200),
    ("manager_a", "unit_a1", 200),
    ("manager_a", "company_b", 404),
    ("officer_a", "unit_a1", 403),
    ("viewer_a", "company_a", 403),
    ("officer_b", "company_a", 404),
    ("nobody", "company_a", 404),
]


@pytest.mark.parametrize(("who", "target", "expected"), ORG_UPDATE)
def test_organization_update_matrix(world, manager_a, who, target, expected):
    org = getattr(world, target)
    response = as_user(who_is(world, manager_a, who)).patch(
        f"/api/v1/organizations/{org.pk}/", {"name_en": "Renamed"}, format="json"
    )
    org.refresh_from_db()
    if expected == 200:
        assert response.status_code == 200 and response.json()["name_en"] == "Renamed"
        assert org.name_en == "Renamed"
        event = AuditEvent.objects.get(action="orgs.organization.updated", object_id=str(org.pk))
        assert event.after == {"name_en": "Renamed"}
    else:
        assert_error(response, expected)
        assert org.name_en != "Renamed"


def test_organization_put_replaces_fields_and_validates(world):
    client = as_user(world.hq)
    url = f"/api/v1/organizations/{world.unit_a1.pk}/"
    incomplete = assert_error(client.put(url, {"name_en": "Only this"}, format="json"), 400, "invalid")
    assert {"code", "name_zh", "kind"} <= set(incomplete["fields"])
    full = {"code": "CA1", "name_zh": "甲一", "name_en": "A one", "kind": "department", "country": "LK"}
    response = client.put(url, full, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["kind"] == "department" and response.json()["country"] == "LK"
    assert response.json()["kind_label"] == "Department"


def test_organization_bad_country_and_kind_name_the_field(world):
    client = as_user(world.hq)
    error = assert_error(
        client.patch(f"/api/v1/organizations/{world.unit_a1.pk}/", {"country": "ZZ", "kind": "castle"}, format="json"),
        400,
    )
    assert set(error["fields"]) == {"country", "kind"}


def test_organization_code_taken_is_422_naming_the_field(world):
    response = as_user(world.hq).patch(f"/api/v1/organizations/{world.unit_a1.pk}/", {"code": "CB"}, format="json")
    error = assert_error(response, 422, "domain_error")
    assert list(error["fields"]) == ["code"]


def test_organization_move(world, manager_a):
    response = as_user(world.hq).post(
        f"/api/v1/organizations/{world.unit_a1.pk}/move/", {"parent": "CB"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["parent_path"] == world.company_b.path
    assert AuditEvent.objects.filter(action="orgs.organization.moved").exists()
    # Manager A no longer reaches the unit (it moved to company B): it is "not found".
    assert_error(
        as_user(manager_a).post(f"/api/v1/organizations/{world.unit_a1.pk}/move/", {"parent": "CA"}, format="json"),
        404,
    )
    # A target out of scope is refused like a missing one; under itself is a domain error.
    error = assert_error(
        as_user(manager_a).post(f"/api/v1/organizations/{world.company_a.pk}/move/", {"parent": "CB"}, format="json"),
        400,
    )
    assert "parent" in error["fields"]
    assert_error(
        as_user(world.hq).post(f"/api/v1/organizations/{world.company_b.pk}/move/", {"parent": "CB1"}, format="json"),
        422,
    )


# --- People -------------------------------------------------------------------------------------

EMPLOYEE_CREATE = [  # who, unit, status
    ("hq", "CB1", 201),
    ("officer_a", "CA1", 201),
    ("officer_a", "CB1", 400),  # a sibling's unit: "no such unit"
    ("viewer_a", "CA1", 403),
    ("employee_user", "CA1", 400),  # the employee role reaches no subtree
    ("nobody", "CA1", 400),
]


@pytest.mark.parametrize(("who", "unit", "expected"), EMPLOYEE_CREATE)
def test_employee_create_matrix(world, manager_a, who, unit, expected):
    response = as_user(who_is(world, manager_a, who)).post(
        "/api/v1/employees/",
        {"employee_no": "N-900", "name": "新人", "name_en": "Newcomer", "unit": unit},
        format="json",
    )
    if expected == 201:
        assert response.status_code == 201, response.json()
        created = Employee.objects.get(employee_no="N-900")
        assert response.json()["unit"] == unit and response.json()["id"] == created.pk
        event = AuditEvent.objects.get(action="orgs.employee.created", object_id=str(created.pk))
        assert event.actor == who_is(world, manager_a, who)
        assert event.after["employee_no"] == "N-900"
        return
    error = assert_error(response, expected)
    if expected == 400:
        assert list(error["fields"]) == ["unit"]
    assert not Employee.objects.filter(employee_no="N-900").exists()


EMPLOYEE_UPDATE = [  # who, employee, status
    ("hq", "employee_b", 200),
    ("officer_a", "employee_a", 200),
    ("officer_a", "employee_b", 404),
    ("viewer_a", "employee_a", 403),
    ("employee_user", "employee_a", 403),  # their own entry: readable, not theirs to change
    ("officer_b", "employee_a", 404),
    ("nobody", "employee_a", 404),
]


@pytest.mark.parametrize(("who", "target", "expected"), EMPLOYEE_UPDATE)
def test_employee_update_matrix(world, who, target, expected):
    employee = getattr(world, target)
    response = as_user(getattr(world, who)).patch(
        f"/api/v1/employees/{employee.pk}/", {"title": "Driver"}, format="json"
    )
    employee.refresh_from_db()
    if expected == 200:
        assert response.status_code == 200 and response.json()["title"] == "Driver"
        assert AuditEvent.objects.filter(action="orgs.employee.updated", object_id=str(employee.pk)).exists()
    else:
        assert_error(response, expected)
        assert employee.title != "Driver"


def test_employee_move_needs_both_units_in_scope(world):
    client = as_user(world.officer_a)
    error = assert_error(client.patch(f"/api/v1/employees/{world.employee_a.pk}/", {"unit": "CB1"}, format="json"), 400)
    assert list(error["fields"]) == ["unit"]
    response = as_user(world.hq).patch(f"/api/v1/employees/{world.employee_a.pk}/", {"unit": "CB1"}, format="json")
    assert response.status_code == 200 and response.json()["unit"] == "CB1"


def test_employee_put_needs_every_required_field(world):
    client = as_user(world.officer_a)
    url = f"/api/v1/employees/{world.employee_a.pk}/"
    error = assert_error(client.put(url, {"name": "张三"}, format="json"), 400, "invalid")
    assert set(error["fields"]) == {"employee_no", "unit"}
    response = client.put(url, {"employee_no": "A-002", "name": "张三", "unit": "CA1"}, format="json")
    assert response.status_code == 200 and response.json()["employee_no"] == "A-002"


def test_duplicate_employee_number_is_422_naming_the_field(world):
    response = as_user(world.officer_a).post(
        "/api/v1/employees/", {"employee_no": "A-001", "name": "X", "unit": "CA1"}, format="json"
    )
    error = assert_error(response, 422, "domain_error")
    assert error["fields"] == {"employee_no": [error["message"]]}
    assert Employee.objects.filter(employee_no="A-001").count() == 1


def test_missing_and_malformed_fields_are_400_naming_each_field(world):
    response = as_user(world.officer_a).post(
        "/api/v1/employees/", {"name": "X", "unit": "CA1", "email": "not-an-address"}, format="json"
    )
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == {"employee_no", "email"}
    assert all(isinstance(m, str) and m for messages in error["fields"].values() for m in messages)


# --- Memberships --------------------------------------------------------------------------------

MEMBERSHIP_GRANT = [  # who, organisation, status
    ("hq", "CB1", 201),
    ("manager_a", "CA1", 201),
    ("manager_a", "CB1", 400),
    ("officer_a", "CA1", 403),  # officers run health work, they do not hand out roles
    ("viewer_a", "CA1", 403),
    ("officer_b", "CA1", 400),
    ("nobody", "CA1", 400),
]


@pytest.mark.parametrize(("who", "org", "expected"), MEMBERSHIP_GRANT)
def test_membership_grant_matrix(world, manager_a, who, org, expected):
    response = as_user(who_is(world, manager_a, who)).post(
        "/api/v1/memberships/", {"username": "nobody", "organization": org, "role": "viewer"}, format="json"
    )
    granted = Membership.objects.filter(user=world.nobody, organization__code=org)
    if expected == 201:
        assert response.status_code == 201, response.json()
        assert response.json()["organization_code"] == org and response.json()["role_label"]
        assert granted.exists()
        assert AuditEvent.objects.filter(action="accounts.membership.granted").exists()
    else:
        assert_error(response, expected)
        assert not granted.exists()


def test_membership_grant_names_an_unknown_user_only_to_an_administrator(world, manager_a):
    body = {"username": "no-such-login", "organization": "CA1", "role": "viewer"}
    error = assert_error(as_user(manager_a).post("/api/v1/memberships/", body, format="json"), 400)
    assert list(error["fields"]) == ["username"]
    # Someone who may not grant here learns nothing about which logins exist.
    assert_error(as_user(world.viewer_a).post("/api/v1/memberships/", body, format="json"), 403, "permission_denied")


MEMBERSHIP_REVOKE = [  # who, record (company A's or B's), status
    ("hq", "b", 204),
    ("manager_a", "a", 204),
    ("manager_a", "b", 404),
    ("officer_a", "a", 403),
    ("viewer_a", "a", 403),
    ("officer_b", "a", 404),
    ("nobody", "a", 404),
]


@pytest.mark.parametrize(("who", "side", "expected"), MEMBERSHIP_REVOKE)
def test_membership_revoke_matrix(world, manager_a, records, who, side, expected):
    pk = getattr(records, side)["memberships"]
    response = as_user(who_is(world, manager_a, who)).delete(f"/api/v1/memberships/{pk}/")
    if expected == 204:
        assert response.status_code == 204
        assert not Membership.objects.filter(pk=pk).exists()
        assert AuditEvent.objects.filter(action="accounts.membership.revoked", object_id=str(pk)).exists()
    else:
        assert_error(response, expected)
        assert Membership.objects.filter(pk=pk).exists()


# --- Regions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("hq", 201), ("manager_a", 403), ("officer_a", 403), ("viewer_a", 403), ("officer_b", 403), ("nobody", 403)],
)
def test_region_rules_are_set_by_hq_only(world, manager_a, records, who, expected):
    body = {"effective_from": "2020-03-01", "risk_level": "medium", "max_onsite_ratio": "0.500", "quarantine_days": 7}
    response = as_user(who_is(world, manager_a, who)).post(
        f"/api/v1/regions/{records.region.pk}/rules/", body, format="json"
    )
    added = RegionRule.objects.filter(region=records.region, effective_from="2020-03-01")
    if expected == 201:
        assert response.status_code == 201, response.json()
        assert response.json()["risk_level_label"] == "Medium risk"
        assert added.exists()
        assert AuditEvent.objects.filter(action="orgs.region.rules_set").exists()
    else:
        assert_error(response, expected, "permission_denied")
        assert not added.exists()


def test_region_rule_history_and_current_rule(world, records):
    client = as_user(world.hq)
    url = f"/api/v1/regions/{records.region.pk}/"
    body = {"effective_from": "2020-03-10", "risk_level": "low", "max_onsite_ratio": "1", "quarantine_days": 0}
    assert client.post(url + "rules/", body, format="json").status_code == 201
    # A rule dated in the future is history-to-be, not the rule in force.
    future = {"effective_from": "2999-01-01", "risk_level": "high", "max_onsite_ratio": "0", "quarantine_days": 14}
    assert client.post(url + "rules/", future, format="json").status_code == 201
    detail = as_user(world.officer_b).get(url).json()
    assert detail["current_rule"]["effective_from"] == "2020-03-10"
    assert [r["effective_from"] for r in detail["rules"]] == ["2999-01-01", "2020-03-10", "2020-01-23"]
    history = as_user(world.officer_b).get(url + "rules/").json()
    assert history["count"] == 3 and history["results"][0]["risk_level"] == "high"


def test_region_rule_out_of_range_is_422_naming_the_field(world, records):
    body = {"risk_level": "low", "max_onsite_ratio": "0.5", "quarantine_days": 61}
    error = assert_error(
        as_user(world.hq).post(f"/api/v1/regions/{records.region.pk}/rules/", body, format="json"), 422
    )
    assert list(error["fields"]) == ["quarantine_days"]
    error = assert_error(
        as_user(world.hq).post(f"/api/v1/regions/{records.region.pk}/rules/", {"risk_level": "dire"}, format="json"),
        400,
    )
    assert set(error["fields"]) == {"risk_level", "max_onsite_ratio", "quarantine_days"}


# --- Leadership groups (read-only here) ----------------------------------------------------------


def test_leadership_groups_are_read_only_in_the_api(world, records):
    client = as_user(world.hq)
    assert_error(client.post("/api/v1/leadership-groups/", {}, format="json"), 405, "method_not_allowed")
    pk = records.a["leadership-groups"]
    assert_error(client.delete(f"/api/v1/leadership-groups/{pk}/"), 405, "method_not_allowed")
    detail = client.get(f"/api/v1/leadership-groups/{pk}/").json()
    assert detail["organization_code"] == "CA" and detail["organization_name_zh"] == "甲公司"
    assert [(m["position"], m["person_name"]) for m in detail["members"]] == [("leader", "王五")]


def test_a_service_refusal_names_the_field_as_the_api_calls_it(world):
    from tests.factories import UserFactory, make_org

    other_group = make_org(None, code="G2", kind="group")
    make_org(other_group, code="G2U", kind="unit")
    admin = UserFactory(username="root", is_superuser=True)
    response = as_user(admin).patch(f"/api/v1/employees/{world.employee_a.pk}/", {"unit": "G2U"}, format="json")
    error = assert_error(response, 422, "domain_error")
    assert error["fields"] == {"unit": [error["message"]]}
