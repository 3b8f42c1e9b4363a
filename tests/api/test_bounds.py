"""Every id and number the site takes is bounded: too big, negative, NaN or infinite is a
400 naming the field (or a 404 for an id in a URL), never a 500."""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter
from rest_framework import serializers

from tests.api.conftest import as_user, assert_error

pytestmark = pytest.mark.django_db

HUGE_IDS = [str(2**63), str(2**64), "99999999999999999999", str(10**40), "-1", str(-(2**63) - 1), "0"]
ODD_NUMBERS = [2**63, 2**64, -(2**63) - 1, 10**40, -1, "NaN", "Infinity", "-Infinity", "1e400", "-1e400", 1e308, ""]

RESOURCES = [
    "organizations",
    "regions",
    "employees",
    "memberships",
    "leadership-groups",
    "checkins",
    "cases",
    "quarantines",
]


def _answered(response) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
        assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_a_check_in_for_employee_two_to_the_63_is_a_400_naming_the_field(world, records):
    client = as_user(world.hq)
    for employee in [2**63, -(2**63) - 1, 0, -5, 10**40]:
        body = {
            "employee": employee,
            "temperature": "36.5",
            "region": records.region.code,
            "work_status": "on_site",
        }
        error = assert_error(client.post("/api/v1/checkins/", body, format="json"), 400, "invalid")
        assert list(error["fields"]) == ["employee"], employee


PAGE_PATHS = [
    "/orgs/{pk}/",
    "/orgs/people/{pk}/",
    "/orgs/regions/{pk}/",
    "/health/followup/{pk}/",
    "/health/quarantines/{pk}/",
    "/health/people/{pk}/checkins/",
]


def test_odd_numbers_at_every_endpoint_never_fail_with_500(world, records, client, client_as):
    """Huge, negative, NaN and infinite numbers in paths, query parameters and bodies."""
    api = as_user(world.hq)
    api.raise_request_exception = False
    client.raise_request_exception = False
    client = client_as(world.hq)
    for pk in [str(2**63), "99999999999999999999", "-1"]:
        for resource in RESOURCES:
            for suffix in ["", "rules/", "move/"]:
                for method in ("get", "patch", "post", "delete"):
                    response = getattr(api, method)(
                        f"/api/v1/{resource}/{pk}/{suffix}", {"parent": "CA"}, format="json"
                    )
                    _answered(response)
                    assert response.status_code in (400, 403, 404, 405), (resource, pk, method)
        for path in PAGE_PATHS:
            assert client.get(path.format(pk=pk)).status_code == 404, path
    for value in ODD_NUMBERS:
        for resource in [*RESOURCES, "health/returns"]:
            for param in ["page", "page_size", "day", "all", "org", "parent", "active"]:
                _answered(api.get(f"/api/v1/{resource}/", {param: str(value)}))
        checkin = {"employee": world.employee_a.pk, "temperature": "36.5", "region": records.region.code}
        checkin |= {"work_status": "on_site"}
        for field in ("employee", "temperature"):
            response = api.post("/api/v1/checkins/", {**checkin, field: value}, format="json")
            _answered(response)
            # In range, a number may still be refused by the service (not a plausible
            # temperature: 422); either way the answer names the field.
            assert response.status_code in (400, 422) and field in response.json()["error"]["fields"], value
        rule = {"risk_level": "high", "max_onsite_ratio": "0.5", "quarantine_days": 7}
        for field in ("quarantine_days", "max_onsite_ratio"):
            response = api.post(f"/api/v1/regions/{records.region.pk}/rules/", {**rule, field: value}, format="json")
            _answered(response)
            assert response.status_code in (400, 422) and field in response.json()["error"]["fields"], value
    for raw in ["NaN", "Infinity", "-Infinity", "1e400", "9" * 400]:
        body = '{"employee": ' + raw + ', "temperature": ' + raw + ', "region": "CN-HB", "work_status": "on_site"}'
        response = api.generic("POST", "/api/v1/checkins/", body, content_type="application/json")
        _answered(response)
        assert response.status_code == 400


# --- Structural: nothing new can slip through ------------------------------------------------------


def test_no_url_takes_an_unbounded_integer():
    unbounded = []
    for resolver_entry in get_resolver().url_patterns:
        stack = [resolver_entry]
        while stack:
            entry = stack.pop()
            converters = getattr(entry.pattern, "converters", {})
            unbounded += [f"{entry.pattern} <{name}>" for name, c in converters.items() if isinstance(c, IntConverter)]
            # A router's detail route is a regex: its id must be the bounded pattern.
            regex = getattr(entry.pattern, "_regex", "")
            if "(?P<pk>[^/.]+)" in regex:
                unbounded.append(regex)
            if isinstance(entry, URLResolver):
                stack += entry.url_patterns
    assert not unbounded


def _input_serializers():
    """Every serializer of every app's API: loading the URLconf imports them all."""
    assert get_resolver().url_patterns
    found, stack = set(), [serializers.Serializer]
    while stack:
        for subclass in stack.pop().__subclasses__():
            if subclass not in found:
                found.add(subclass)
                stack.append(subclass)
    return sorted((c for c in found if c.__module__.startswith("sameboat.")), key=lambda c: c.__qualname__)


def test_every_number_an_input_serializer_takes_is_bounded():
    unbounded = []
    checked = _input_serializers()
    # Both domains' inputs are among them (a wrong walk would pass with none).
    assert {"EmployeeWriteSerializer", "CheckInInputSerializer", "TokenRequestSerializer"} <= {
        c.__name__ for c in checked
    }
    for serializer_class in checked:
        for name, field in serializer_class().fields.items():
            if field.read_only:
                continue
            if isinstance(field, serializers.IntegerField) and (field.max_value is None or field.min_value is None):
                unbounded.append(f"{serializer_class.__name__}.{name}")
            if isinstance(field, serializers.FloatField) or (
                isinstance(field, serializers.DecimalField) and field.max_digits is None
            ):
                unbounded.append(f"{serializer_class.__name__}.{name}")
    assert not unbounded, f"use sameboat.api.fields for {unbounded}"


def test_a_bad_page_number_is_a_400_naming_the_parameter(world):
    client = as_user(world.hq)
    for param, value in [
        ("page", "abc"),
        ("page", "0"),
        ("page", str(2**63)),
        ("page_size", "-1"),
        ("page_size", "NaN"),
    ]:
        error = assert_error(client.get("/api/v1/employees/", {param: value}), 400, "invalid")
        assert list(error["fields"]) == [param], (param, value)
    assert_error(client.get("/api/v1/employees/?page=99"), 404, "not_found")
    assert client.get("/api/v1/employees/?page=last&page_size=100000").status_code == 200
