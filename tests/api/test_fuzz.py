"""Whatever a client sends, the API answers in its error shape and never with a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import as_user

pytestmark = pytest.mark.django_db

FIELDS = [
    "code", "name_zh", "name_en", "kind", "country", "region", "address", "contact_email", "contact_phone",
    "is_active", "parent", "employee_no", "name", "unit", "title", "phone", "email", "home_region",
    "username", "organization", "role", "effective_from", "risk_level", "max_onsite_ratio", "quarantine_days",
    "note", "password", "employee", "temperature", "day", "symptoms", "work_status", "travelled", "contact",
    "commute_mode",
]  # fmt: skip
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    # Just past what the database's integers hold, and numbers that are not finite.
    st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**40, "NaN", "Infinity", "-Infinity", "1e400", "36.5", "on_site"]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=300),
    st.sampled_from(["CA", "CA1", "CB1", "GRP", "unit", "high", "viewer", "2020-02-30", "0.5", "A-001", "LK", ""]),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
PAYLOADS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def hq_client(world):
    # One client for all examples: building one loads the middleware (WhiteNoise scans
    # the static files), which would dominate the run.
    return as_user(world.hq)


def assert_answered(response) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/organizations/"),
        ("patch", "/api/v1/organizations/{org}/"),
        ("put", "/api/v1/organizations/{org}/"),
        ("post", "/api/v1/organizations/{org}/move/"),
        ("post", "/api/v1/employees/"),
        ("patch", "/api/v1/employees/{employee}/"),
        ("post", "/api/v1/memberships/"),
        ("post", "/api/v1/regions/{region}/rules/"),
        ("post", "/api/v1/auth/token/"),
        ("post", "/api/v1/checkins/"),
    ],
)
@FUZZ
@given(payload=PAYLOADS)
def test_write_endpoints_never_fail_with_500(world, records, hq_client, method, path, payload):
    url = path.format(org=world.unit_a1.pk, employee=world.employee_a.pk, region=records.region.pk)
    assert_answered(getattr(hq_client, method)(url, payload, format="json"))


LISTS = {
    "organizations": ["kind", "search", "parent"],
    "regions": ["country", "search"],
    "employees": ["org", "search", "active"],
    "memberships": ["org", "role"],
    "leadership-groups": [],
    "checkins": ["day"],
    "cases": ["all"],
    "quarantines": [],
    "health/returns": ["org", "day"],
}


@pytest.mark.parametrize("resource", list(LISTS))
@FUZZ
@given(data=st.data())
def test_list_filters_never_fail_with_500(hq_client, resource, data):
    names = st.sampled_from([*LISTS[resource], "page", "page_size", "day", "org"])
    params = data.draw(st.dictionaries(names, st.text(max_size=20), max_size=4))
    assert_answered(hq_client.get(f"/api/v1/{resource}/", params))
