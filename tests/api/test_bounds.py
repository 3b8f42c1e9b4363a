"""Every id and number the site takes is bounded: too big, negative, NaN or infinite is a
400 naming the field (or a 404 for an id in a URL), never a 500."""

from __future__ import annotations

import importlib

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


@pytest.mark.parametrize("resource", RESOURCES)
def test_huge_and_negative_ids_in_api_paths_are_404(world, resource):
    client = as_user(world.hq)
    client.raise_request_exception = False
    for pk in [str(2**63), "99999999999999999999", "-1"]:
        for suffix in ["", "rules/", "move/"]:
            url = f"/api/v1/{resource}/{pk}/{suffix}"
            for method in ("get", "patch", "post", "delete"):
                response = getattr(client, method)(url, {"parent": "CA"}, format="json")
                _answered(response)
                assert response.status_code in (400, 403, 404, 405), (url, method, response.status_code)


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


@pytest.mark.parametrize("field", ["employee", "temperature"])
@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_check_in_numbers_out_of_range_are_400(world, records, field, value):
    body = {"employee": world.employee_a.pk, "temperature": "36.5", "region": records.region.code}
    body |= {"work_status": "on_site", field: value}
    client = as_user(world.hq)
    client.raise_request_exception = False
    response = client.post("/api/v1/checkins/", body, format="json")
    # A number in the field's range may still be refused by the service (not a plausible
    # temperature: 422); either way the answer names the field.
    error = assert_error(response, response.status_code)
    assert response.status_code in (400, 422)
    assert field in error["fields"]


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1e400", "9" * 400])
def test_non_finite_json_numbers_are_400(world, raw):
    body = '{"employee": ' + raw + ', "temperature": ' + raw + ', "region": "CN-HB", "work_status": "on_site"}'
    client = as_user(world.hq)
    client.raise_request_exception = False
    response = client.generic("POST", "/api/v1/checkins/", body, content_type="application/json")
    _answered(response)
    assert response.status_code == 400


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_region_rule_numbers_out_of_range_are_refused(world, records, value):
    client = as_user(world.hq)
    client.raise_request_exception = False
    for field in ("quarantine_days", "max_onsite_ratio"):
        body = {"risk_level": "high", "max_onsite_ratio": "0.5", "quarantine_days": 7, field: value}
        response = client.post(f"/api/v1/regions/{records.region.pk}/rules/", body, format="json")
        _answered(response)
        assert response.status_code in (400, 422)
        assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("value", [str(2**63), str(-(2**63) - 1), "NaN", "-Infinity", "1e400", "-1"])
def test_numbers_in_query_parameters_never_fail_with_500(world, value):
    client = as_user(world.hq)
    client.raise_request_exception = False
    for resource in [*RESOURCES, "health/returns"]:
        for param in ["page", "page_size", "day", "all", "org", "parent", "active"]:
            _answered(client.get(f"/api/v1/{resource}/", {param: value}))


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/{pk}/",
        "/orgs/people/{pk}/",
        "/orgs/regions/{pk}/",
        "/health/followup/{pk}/",
        "/health/quarantines/{pk}/",
        "/health/people/{pk}/checkins/",
    ],
)
def test_huge_ids_in_page_paths_are_404(client, world, path):
    client.force_login(world.hq)
    for pk in HUGE_IDS[:4]:
        assert client.get(path.format(pk=pk)).status_code == 404


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


INPUT_MODULES = ["sameboat.api.serializers", "sameboat.api.filters", "sameboat.health.api"]


def _input_serializers():
    for name in INPUT_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, serializers.Serializer) and value.__module__ == name:
                yield value


@pytest.mark.parametrize("serializer_class", list(_input_serializers()), ids=lambda c: c.__name__)
def test_every_number_an_input_serializer_takes_is_bounded(serializer_class):
    unbounded = []
    for name, field in serializer_class().fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.IntegerField) and (field.max_value is None or field.min_value is None):
            unbounded.append(name)
        if isinstance(field, serializers.FloatField) or (
            isinstance(field, serializers.DecimalField) and field.max_digits is None
        ):
            unbounded.append(name)
    assert not unbounded, f"{serializer_class.__name__}: use sameboat.api.fields for {unbounded}"
