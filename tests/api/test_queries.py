"""Lists are paged and cost a fixed number of queries, however many rows a page holds."""

from __future__ import annotations

import pytest

from sameboat.accounts.roles import Role
from sameboat.orgs.models import LeadershipGroup, LeadershipMember
from tests.api.conftest import as_user
from tests.factories import RegionFactory, RegionRuleFactory, UserFactory, grant, make_employee, make_org

pytestmark = pytest.mark.django_db

# Queries for one page, with the user authenticated by the client helper (no session or
# token lookup): the memberships (scope), the count, the page, and each prefetch.
LISTS = {
    "/api/v1/organizations/": 3,
    "/api/v1/organizations/?parent=CA": 4,  # + the parent looked up in scope
    "/api/v1/employees/": 3,
    "/api/v1/employees/?org=CA&search=员工": 4,
    "/api/v1/memberships/": 3,
    "/api/v1/leadership-groups/": 4,  # + members
    "/api/v1/regions/": 3,  # count, page, rules in force (regions need no scope)
    "/api/v1/regions/{region}/rules/": 3,  # region, count, page
}


def fresh(user):
    """The user as a new request would load it: no memberships cached on the object yet."""
    return type(user).objects.get(pk=user.pk)


def grow(world, n: int) -> None:
    """Add n rows of every kind in company A's subtree."""
    for i in range(n):
        unit = make_org(world.company_a, kind="unit")
        make_employee(unit)
        grant(UserFactory(), unit, Role.VIEWER)
        group = LeadershipGroup.objects.create(organization=unit, name=f"G{i}")
        LeadershipMember.objects.create(group=group, position="leader", person_name=f"L{i}")
        LeadershipMember.objects.create(group=group, position="member", person_name=f"M{i}")
        region = RegionFactory()
        RegionRuleFactory(region=region, effective_from="2020-02-01")
        RegionRuleFactory(region=region, effective_from="2020-03-01")


@pytest.mark.parametrize(("url", "queries"), LISTS.items())
def test_list_query_count_is_pinned_and_does_not_grow_with_rows(world, django_assert_max_num_queries, url, queries):
    region = RegionFactory(code="CN-PIN")
    RegionRuleFactory(region=region, effective_from="2020-01-01")
    url = url.format(region=region.pk)
    grow(world, 3)
    client = as_user(fresh(world.hq))
    with django_assert_max_num_queries(queries):
        small = client.get(url)
    assert small.status_code == 200 and small.json()["results"]
    grow(world, 25)
    client = as_user(fresh(world.hq))
    with django_assert_max_num_queries(queries):
        large = client.get(url)
    assert large.status_code == 200
    assert len(large.json()["results"]) > len(small.json()["results"]) or url.endswith("rules/")


def test_detail_query_counts(world, django_assert_max_num_queries):
    region = RegionFactory(code="CN-PIN")
    RegionRuleFactory(region=region, effective_from="2020-01-01")
    client = as_user(fresh(world.hq))
    with django_assert_max_num_queries(3):  # region, rules in force, history
        region_detail = client.get(f"/api/v1/regions/{region.pk}/")
    assert region_detail.status_code == 200 and region_detail.json()["code"] == "CN-PIN"
    client = as_user(fresh(world.hq))
    with django_assert_max_num_queries(2):  # memberships, the record
        employee_detail = client.get(f"/api/v1/employees/{world.employee_a.pk}/")
    assert employee_detail.status_code == 200 and employee_detail.json()["employee_no"] == "A-001"


def test_pagination_shape_and_links(world):
    for _ in range(12):
        make_employee(world.unit_a1)
    client = as_user(world.hq)
    first = client.get("/api/v1/employees/?page_size=5").json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 14 and len(first["results"]) == 5 and first["previous"] is None
    assert "page=2" in first["next"] and "page_size=5" in first["next"]
    last = client.get("/api/v1/employees/?page_size=5&page=3").json()
    assert last["next"] is None and len(last["results"]) == 4 and "page=2" in last["previous"]
    # A page size beyond the ceiling is capped, not refused.
    assert len(client.get("/api/v1/employees/?page_size=100000").json()["results"]) == 14


def test_every_list_endpoint_is_paged(world):
    client = as_user(world.hq)
    for url in ("organizations", "regions", "employees", "memberships", "leadership-groups"):
        assert set(client.get(f"/api/v1/{url}/").json()) == {"count", "next", "previous", "results"}
    children = client.get(f"/api/v1/organizations/{world.group.pk}/children/").json()
    assert set(children) == {"count", "next", "previous", "results"}
