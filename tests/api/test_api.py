"""The core API: scope matrix, writes through services, one error shape, token, schema, docs."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from sameboat.core.models import AuditEvent
from sameboat.orgs.models import Employee, LeadershipGroup, Region

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def records(world):
    """One record of each kind in company A and in company B."""
    from sameboat.accounts.models import Membership

    ga = LeadershipGroup.objects.create(organization=world.company_a, name="A group")
    gb = LeadershipGroup.objects.create(organization=world.company_b, name="B group")
    ma = Membership.objects.get(user=world.officer_a)
    mb = Membership.objects.get(user=world.officer_b)
    return {
        "organizations": (world.company_a.pk, world.company_b.pk),
        "employees": (world.employee_a.pk, world.employee_b.pk),
        "memberships": (ma.pk, mb.pk),
        "leadership-groups": (ga.pk, gb.pk),
    }


MATRIX = [  # user, sees company A records, sees company B records
    ("hq", True, True),
    ("officer_a", True, False),
    ("viewer_a", True, False),
    ("officer_b", False, True),
    ("nobody", False, False),
]


@pytest.mark.parametrize("resource", ["organizations", "employees", "memberships", "leadership-groups"])
@pytest.mark.parametrize(("who", "sees_a", "sees_b"), MATRIX)
def test_scope_matrix(world, records, resource, who, sees_a, sees_b):
    client = api(getattr(world, who))
    a, b = records[resource]
    listed = {row["id"] for row in client.get(f"/api/v1/{resource}/?page_size=500").json()["results"]}
    if resource == "memberships" and who in ("officer_a", "officer_b"):
        # Everyone sees their own memberships; the matrix is about the other company's.
        own = {"officer_a": a, "officer_b": b}[who]
        listed.discard(own)
        sees_a, sees_b = (sees_a and who != "officer_a"), (sees_b and who != "officer_b")
    assert (a in listed, b in listed) == (sees_a, sees_b)
    if resource != "memberships" or who not in ("officer_a", "officer_b"):
        assert client.get(f"/api/v1/{resource}/{a}/").status_code == (200 if sees_a else 404)
        assert client.get(f"/api/v1/{resource}/{b}/").status_code == (200 if sees_b else 404)


@pytest.mark.parametrize("path", ["organizations/", "employees/", "memberships/", "leadership-groups/", "regions/"])
def test_anonymous_gets_401_in_the_error_shape(world, path):
    response = api().get(f"/api/v1/{path}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_create_employee_through_the_service_is_audited(world):
    response = api(world.officer_a).post(
        "/api/v1/employees/", {"employee_no": "A-900", "name": "新人", "unit": "CA1"}, format="json"
    )
    assert response.status_code == 201, response.json()
    employee = Employee.objects.get(employee_no="A-900")
    assert AuditEvent.objects.filter(action="orgs.employee.created", object_id=str(employee.pk)).exists()


def test_create_employee_in_a_sibling_unit_is_refused_like_missing(world):
    response = api(world.officer_a).post(
        "/api/v1/employees/", {"employee_no": "B-900", "name": "X", "unit": "CB1"}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()["error"]["fields"]
    assert not Employee.objects.filter(employee_no="B-900").exists()


def test_viewer_reads_but_cannot_write(world):
    client = api(world.viewer_a)
    assert client.get(f"/api/v1/employees/{world.employee_a.pk}/").status_code == 200
    response = client.post("/api/v1/employees/", {"employee_no": "A-901", "name": "X", "unit": "CA1"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    response = client.patch(f"/api/v1/organizations/{world.company_a.pk}/", {"name_en": "X"}, format="json")
    assert response.status_code == 403


def test_duplicate_employee_number_is_422_naming_the_field(world):
    response = api(world.officer_a).post(
        "/api/v1/employees/", {"employee_no": "A-001", "name": "X", "unit": "CA1"}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"employee_no": [response.json()["error"]["message"]]}


def test_organization_create_children_and_filters(world):
    client = api(world.hq)
    response = client.post(
        "/api/v1/organizations/",
        {"parent": "CA", "code": "CA9", "name_zh": "甲九", "name_en": "A9", "kind": "unit"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    children = client.get(f"/api/v1/organizations/{world.company_a.pk}/children/").json()["results"]
    assert {c["code"] for c in children} == {"CA1", "CA9"}
    assert {o["code"] for o in client.get("/api/v1/organizations/?parent=GRP").json()["results"]} == {"CA", "CB"}
    assert {o["code"] for o in client.get("/api/v1/organizations/?kind=company").json()["results"]} == {"CA", "CB"}


def test_memberships_grant_and_revoke(world):
    client = api(world.hq)
    response = client.post(
        "/api/v1/memberships/", {"username": "nobody", "organization": "CB", "role": "viewer"}, format="json"
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.delete(f"/api/v1/memberships/{pk}/").status_code == 204
    assert AuditEvent.objects.filter(action="accounts.membership.revoked").exists()
    assert (
        api(world.viewer_a)
        .post("/api/v1/memberships/", {"username": "nobody", "organization": "CA", "role": "viewer"}, format="json")
        .status_code
        == 403
    )


def test_regions_rules(world):
    region = Region.objects.create(code="CN-X", name_zh="某地", name_en="Somewhere")
    response = api(world.hq).post(
        f"/api/v1/regions/{region.pk}/rules/",
        {"effective_from": "2026-01-01", "risk_level": "high", "max_onsite_ratio": "0.300", "quarantine_days": 14},
        format="json",
    )
    assert response.status_code == 201, response.json()
    detail = api(world.officer_a).get(f"/api/v1/regions/{region.pk}/").json()
    assert detail["current_rule"]["risk_level"] == "high" and len(detail["rules"]) == 1
    assert (
        api(world.officer_a)
        .post(
            f"/api/v1/regions/{region.pk}/rules/",
            {"effective_from": "2026-01-02", "risk_level": "low", "max_onsite_ratio": "1", "quarantine_days": 0},
            format="json",
        )
        .status_code
        == 403
    )


def test_error_shapes_for_404_405_and_unknown_paths(world):
    client = api(world.hq)
    assert client.get("/api/v1/employees/999999/").json()["error"]["code"] == "not_found"
    response = client.put(f"/api/v1/regions/{Region.objects.create(code='R', name_zh='r', name_en='r').pk}/", {})
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_token_auth(world):
    response = api().post("/api/v1/auth/token/", {"username": "hq", "password": "pw-for-tests-1"}, format="json")
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/organizations/").status_code == 200
    bad = api().post("/api/v1/auth/token/", {"username": "hq", "password": "wrong"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_credentials"


def test_pagination_and_pinned_query_counts(world, django_assert_max_num_queries):
    from tests.factories import make_employee

    for _ in range(30):
        make_employee(world.unit_a1)
    client = api(world.hq)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/employees/?page_size=10").json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 32
    with django_assert_max_num_queries(6):
        client.get("/api/v1/organizations/")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/leadership-groups/")


def test_schema_generates_without_warnings(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    assert "Warning" not in capsys.readouterr().err


def test_docs_are_served_locally_without_inline_script(world, client):
    client.force_login(world.hq)
    html = client.get("/api/docs/").content.decode()
    assert "swagger" in html.lower()
    assert not re.search(r"<script[^>]*>\s*[^<\s]", html), "inline script"
    assert "<style" not in html
    assert "cdn" not in html.lower()
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
