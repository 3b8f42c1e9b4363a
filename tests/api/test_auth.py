"""Authentication: tokens (through django-axes), sessions, and 401 for anonymous callers.

Token storage, expiry and revocation: tests/api/test_tokens.py; throttles: tests/core/test_throttles.py.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from sameboat.core.models import AuditEvent
from tests.api.conftest import as_user, assert_error

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"

ENDPOINTS = [  # method, path (ids filled by the test)
    ("get", "/api/v1/organizations/"),
    ("get", "/api/v1/organizations/{org}/"),
    ("get", "/api/v1/organizations/{org}/children/"),
    ("post", "/api/v1/organizations/"),
    ("patch", "/api/v1/organizations/{org}/"),
    ("post", "/api/v1/organizations/{org}/move/"),
    ("get", "/api/v1/regions/"),
    ("get", "/api/v1/regions/{region}/"),
    ("post", "/api/v1/regions/{region}/rules/"),
    ("get", "/api/v1/employees/"),
    ("get", "/api/v1/employees/{employee}/"),
    ("post", "/api/v1/employees/"),
    ("put", "/api/v1/employees/{employee}/"),
    ("get", "/api/v1/memberships/"),
    ("get", "/api/v1/memberships/{membership}/"),
    ("post", "/api/v1/memberships/"),
    ("delete", "/api/v1/memberships/{membership}/"),
    ("get", "/api/v1/leadership-groups/"),
    ("get", "/api/v1/leadership-groups/{group}/"),
    ("delete", "/api/v1/auth/token/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_gets_401_in_the_error_shape(world, records, method, path):
    url = path.format(
        org=world.company_a.pk,
        region=records.region.pk,
        employee=world.employee_a.pk,
        membership=records.a["memberships"],
        group=records.a["leadership-groups"],
    )
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert_error(response, 401, "not_authenticated")
    # The header is what makes it a 401 rather than a 403 (DRF's rule).
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get("/api/v1/organizations/"), 401, "authentication_failed")


def test_token_is_issued_used_and_revoked(world):
    response = APIClient().post("/api/v1/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert response.json()["expiry"]
    assert AuthToken.objects.get(user=world.officer_a).token_key == key[:15]
    assert AuditEvent.objects.filter(action="accounts.api_token.issued", actor=world.officer_a).count() == 1
    # Asking again gives a second token (the first one is only ever shown once).
    again = APIClient().post("/api/v1/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json")
    assert again.json()["token"] != key
    assert AuditEvent.objects.filter(action="accounts.api_token.issued").count() == 2

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    codes = {o["code"] for o in client.get("/api/v1/organizations/").json()["results"]}
    assert codes == {"CA", "CA1"}  # the token acts with the user's scope
    assert client.delete("/api/v1/auth/token/").status_code == 204
    # Only the token of the request is revoked; the other one still works.
    assert AuthToken.objects.filter(user=world.officer_a).count() == 1
    assert AuditEvent.objects.filter(action="accounts.api_token.revoked").exists()
    assert_error(client.get("/api/v1/organizations/"), 401)
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {again.json()['token']}")
    assert other.get("/api/v1/organizations/").status_code == 200


def test_token_refusals(world):
    client = APIClient()
    wrong = client.post("/api/v1/auth/token/", {"username": "hq", "password": "wrong"}, format="json")
    assert_error(wrong, 400, "invalid_credentials")
    missing = assert_error(client.post("/api/v1/auth/token/", {"username": "hq"}, format="json"), 400, "invalid")
    assert list(missing["fields"]) == ["password"]
    world.hq.is_active = False
    world.hq.save()
    inactive = client.post("/api/v1/auth/token/", {"username": "hq", "password": PASSWORD}, format="json")
    assert_error(inactive, 400, "invalid_credentials")
    assert not AuthToken.objects.exists()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_token_requests_are_locked_out_by_axes(world):
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token/", {"username": "hq", "password": "wrong"}, format="json").status_code
        for _ in range(3)
    ]
    # The failure that reaches the limit is already answered with the lockout.
    assert statuses == [400, 400, 429]
    # Locked out: even the right password is refused now, in JSON, not the HTML page.
    locked = client.post("/api/v1/auth/token/", {"username": "hq", "password": PASSWORD}, format="json")
    assert_error(locked, 429, "locked_out")
    assert not AuthToken.objects.exists()
    # Another name from the same address is not locked (lockout is per name and address).
    other = client.post("/api/v1/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json")
    assert other.status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_token_counts_as_a_login_and_clears_failures(world):
    from axes.models import AccessAttempt

    client = APIClient()
    for _ in range(2):
        client.post("/api/v1/auth/token/", {"username": "hq", "password": "wrong"}, format="json")
    assert AccessAttempt.objects.filter(username="hq").exists()
    assert (
        client.post("/api/v1/auth/token/", {"username": "hq", "password": PASSWORD}, format="json").status_code == 200
    )
    assert not AccessAttempt.objects.filter(username="hq").exists()
    world.hq.refresh_from_db()
    assert world.hq.last_login is not None


def test_session_auth_works_and_writes_need_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    assert client.get("/api/v1/employees/").status_code == 200
    refused = client.post("/api/v1/employees/", {"employee_no": "A-77", "name": "X", "unit": "CA1"}, format="json")
    error = assert_error(refused, 403, "permission_denied")
    assert "CSRF" in error["message"]


def test_token_request_ignores_a_stale_session_and_needs_no_csrf(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.viewer_a)
    response = client.post("/api/v1/auth/token/", {"username": "hq", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert AuthToken.objects.get(token_key=response.json()["token"][:15]).user == world.hq


def test_force_authenticated_helper_is_not_what_makes_reads_pass(world):
    # Guard for the rest of the suite: the helper's anonymous client really is anonymous.
    assert as_user(None).get("/api/v1/regions/").status_code == 401
