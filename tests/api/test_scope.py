"""Scope matrix of every endpoint: who lists, reads and changes which company's records.

Out of scope answers exactly like missing (404 on detail, absent from lists); a read-only
role in scope gets 403 on writes; anonymous gets 401.
"""

from __future__ import annotations

import pytest

from sameboat.core.contributions import scope_matrix
from tests.api.conftest import as_user, assert_error
from tests.urlconf import path_of

pytestmark = pytest.mark.django_db


def _resources(app: str) -> list[str]:
    """The app's organisation-owned API resources, from the scope matrix its app registered."""
    lists = [e.key for e in scope_matrix if e.app == app and e.api and e.scoped and e.key.endswith("-list")]
    return [path_of(name).removeprefix("/api/v1/").strip("/") for name in lists]


SCOPED = _resources("orgs")

# user -> (sees company A's records, sees company B's records)
READS = {
    "hq": (True, True),
    "officer_a": (True, False),
    "viewer_a": (True, False),
    "officer_b": (False, True),
    "employee_user": (False, False),  # the employee role reads no subtree...
    "nobody": (False, False),
}
# ...but an employee may read their own roster entry by its id (the roster list is the
# subtree's: their entry is not listed).
OWN_DETAIL = {("employee_user", "employees"): (True, False)}


def listed_ids(client, resource: str) -> set[int]:
    response = client.get(
        f"/api/v1/{resource}/?page_size=500&active=all"
        if resource == "employees"
        else f"/api/v1/{resource}/?page_size=500"
    )
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("resource", SCOPED)
@pytest.mark.parametrize("who", list(READS))
def test_list_and_detail_follow_scope(world, records, resource, who):
    sees_a, sees_b = READS[who]
    client = as_user(getattr(world, who))
    a, b = records.a[resource], records.b[resource]
    listed = listed_ids(client, resource)
    assert (a in listed, b in listed) == (sees_a, sees_b)
    reads_a, reads_b = OWN_DETAIL.get((who, resource), (sees_a, sees_b))
    for pk, sees in ((a, reads_a), (b, reads_b)):
        response = client.get(f"/api/v1/{resource}/{pk}/")
        if sees:
            assert response.status_code == 200
            assert response.json()["id"] == pk
        else:
            assert_error(response, 404, "not_found")


@pytest.mark.parametrize("resource", SCOPED)
def test_out_of_scope_detail_is_the_same_answer_as_missing(world, records, resource):
    client = as_user(world.officer_a)
    out_of_scope = client.get(f"/api/v1/{resource}/{records.b[resource]}/")
    missing = client.get(f"/api/v1/{resource}/99999999/")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()


@pytest.mark.parametrize("who", list(READS))
def test_regions_are_reference_data_for_everyone_logged_in(world, records, who):
    client = as_user(getattr(world, who))
    assert records.region.pk in listed_ids(client, "regions")
    detail = client.get(f"/api/v1/regions/{records.region.pk}/")
    assert detail.status_code == 200
    assert detail.json()["current_rule"]["risk_level"] == "high"


def test_nobody_sees_empty_lists(world, records):
    client = as_user(world.nobody)
    for resource in SCOPED:
        body = client.get(f"/api/v1/{resource}/").json()
        assert body["count"] == 0 and body["results"] == []


def test_children_follow_scope(world, records):
    assert as_user(world.officer_a).get(f"/api/v1/organizations/{world.company_a.pk}/children/").status_code == 200
    assert_error(as_user(world.officer_a).get(f"/api/v1/organizations/{world.company_b.pk}/children/"), 404)
    # The group itself is out of officer A's scope, and its children list only what A reaches.
    assert_error(as_user(world.officer_a).get(f"/api/v1/organizations/{world.group.pk}/children/"), 404)
    codes = {
        o["code"] for o in as_user(world.hq).get(f"/api/v1/organizations/{world.group.pk}/children/").json()["results"]
    }
    assert codes == {"CA", "CB"}


def test_filter_on_an_organisation_out_of_scope_is_refused_like_a_missing_one(world, records):
    client = as_user(world.officer_a)
    for url, field in (
        ("/api/v1/employees/?org=", "org"),
        ("/api/v1/organizations/?parent=", "parent"),
        ("/api/v1/memberships/?org=", "org"),
    ):
        out_of_scope = assert_error(client.get(url + "CB"), 400, "invalid")
        missing = assert_error(client.get(url + "NO-SUCH"), 400, "invalid")
        assert field in out_of_scope["fields"]
        assert out_of_scope["fields"][field][0].replace("CB", "X") == missing["fields"][field][0].replace(
            "NO-SUCH", "X"
        )
