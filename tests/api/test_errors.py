"""Every API error comes in one JSON shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import pytest

from sameboat.orgs import selectors
from tests.api.conftest import as_user, assert_error

pytestmark = pytest.mark.django_db


def test_404_for_a_missing_record_and_a_bad_id(world):
    client = as_user(world.hq)
    assert_error(client.get("/api/v1/employees/99999999/"), 404, "not_found")
    assert_error(client.get("/api/v1/regions/not-a-number/"), 404, "not_found")
    assert_error(client.get("/api/v1/employees/not-a-number/"), 404, "not_found")


def test_404_for_a_page_past_the_end(world):
    assert_error(as_user(world.hq).get("/api/v1/organizations/?page=99"), 404, "not_found")


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options", "head"])
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/nothing", "/api/v2/organizations/", "/api/"])
def test_unknown_api_paths_answer_404_in_the_error_shape(world, method, path):
    response = getattr(as_user(world.hq), method)(path)
    if method == "head":
        assert response.status_code == 404
    else:
        assert_error(response, 404, "not_found")


def test_unknown_paths_answer_the_same_to_anonymous_callers():
    assert_error(as_user().get("/api/v1/no-such-thing/"), 404, "not_found")


def test_a_missing_trailing_slash_gets_a_hint(world):
    error = assert_error(as_user(world.hq).get("/api/v1/employees"), 404, "not_found")
    assert "/api/v1/employees/" in error["message"]
    plain = assert_error(as_user(world.hq).get("/api/v1/nothing-here"), 404, "not_found")
    assert "/api/v1/nothing-here/" not in plain["message"]


def test_405_for_a_method_the_resource_does_not_have(world, records):
    client = as_user(world.hq)
    error = assert_error(client.put(f"/api/v1/regions/{records.region.pk}/", {}, format="json"), 405)
    assert error["code"] == "method_not_allowed" and "PUT" in error["message"]
    assert_error(client.delete(f"/api/v1/employees/{world.employee_a.pk}/"), 405, "method_not_allowed")


def test_403_for_a_read_only_role_in_scope(world):
    response = as_user(world.viewer_a).patch(f"/api/v1/employees/{world.employee_a.pk}/", {"title": "X"}, format="json")
    error = assert_error(response, 403, "permission_denied")
    assert error["fields"] == {}


def test_400_for_malformed_json(world):
    response = as_user(world.hq).generic("POST", "/api/v1/employees/", "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_400_for_a_body_that_is_not_an_object(world):
    response = as_user(world.hq).post("/api/v1/employees/", ["a", "list"], format="json")
    error = assert_error(response, 400, "invalid")
    assert "non_field_errors" in error["fields"]


def test_400_for_a_bad_filter_names_the_parameter(world):
    client = as_user(world.hq)
    assert list(assert_error(client.get("/api/v1/employees/?active=maybe"), 400)["fields"]) == ["active"]
    assert list(assert_error(client.get("/api/v1/organizations/?kind=castle"), 400)["fields"]) == ["kind"]
    assert list(assert_error(client.get("/api/v1/memberships/?role=king"), 400)["fields"]) == ["role"]


def test_415_for_an_unsupported_body(world):
    response = as_user(world.hq).generic("POST", "/api/v1/employees/", "a=b", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_500_is_logged_and_answered_in_the_error_shape(world, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "organization_list", broken)
    client = as_user(world.hq, raise_request_exception=False)
    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get("/api/v1/organizations/")
    error = assert_error(response, 500, "server_error")
    assert "fire" not in error["message"]  # internals stay in the log
    logged = [r for r in caplog.records if r.name == "django.request" and r.status_code == 500]
    assert len(logged) == 1 and logged[0].exc_info[0] is RuntimeError


def test_500_still_reaches_the_test_client_as_the_exception(world, monkeypatch):
    # Error reporters listening for got_request_exception hear about API failures too.
    monkeypatch.setattr(selectors, "organization_list", lambda **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        as_user(world.hq).get("/api/v1/organizations/")


def test_nul_bytes_are_refused_as_bad_input_not_a_server_error(world):
    # PostgreSQL refuses NUL bytes in text outright; they must never reach a query.
    client = as_user(world.hq)
    assert list(assert_error(client.get("/api/v1/organizations/?parent=C%00A"), 400)["fields"]) == ["parent"]
    assert list(assert_error(client.get("/api/v1/employees/?search=%00"), 400)["fields"]) == ["search"]
    body = {"employee_no": "N-1", "name": "X", "unit": "CA1", "home_region": "\x00"}
    assert list(assert_error(client.post("/api/v1/employees/", body, format="json"), 400)["fields"]) == ["home_region"]
    token = client.post("/api/v1/auth/token/", {"username": "hq\x00", "password": "x"}, format="json")
    assert list(assert_error(token, 400)["fields"]) == ["username"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/health/returns/?org=%00", "/api/v1/employees/?search=a%00b", "/api/v1/organizations/?kind%00=x"],
)
def test_a_null_character_in_a_query_parameter_is_a_400_naming_it(world, path):
    # PostgreSQL refuses NUL in text: without the guard this was a database error (500).
    response = as_user(world.hq).get(path)
    error = assert_error(response, 400, "invalid")
    assert list(error["fields"]) == [path.split("?")[1].split("=")[0].replace("%00", "")]
