"""Reads of organisations, rosters, leadership groups and regions stay in scope."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from sameboat.accounts.roles import Role
from sameboat.orgs import selectors
from sameboat.orgs.models import OrgKind
from sameboat.orgs.services import leadership_group_set, leadership_member_add
from tests.factories import RegionFactory, RegionRuleFactory, UserFactory, grant, make_org

pytestmark = pytest.mark.django_db


def test_organization_roots_are_the_top_of_each_users_view(world):
    assert [o.code for o in selectors.organization_roots(user=world.hq)] == ["GRP"]
    assert [o.code for o in selectors.organization_roots(user=world.officer_a)] == ["CA"]
    assert list(selectors.organization_roots(user=world.employee_user)) == []


def test_organization_roots_with_two_disjoint_subtrees(world):
    user = UserFactory(username="two_hats")
    grant(user, world.unit_a1, Role.VIEWER)
    grant(user, world.company_b, Role.VIEWER)
    assert [o.code for o in selectors.organization_roots(user=user)] == ["CA1", "CB"]


def test_organization_children_are_direct_and_in_scope(world):
    assert [o.code for o in selectors.organization_children(user=world.hq, organization=world.group)] == ["CA", "CB"]
    # Under an organisation above their view, an officer sees only their own subtree's top.
    assert [o.code for o in selectors.organization_children(user=world.officer_b, organization=world.group)] == ["CB"]


def test_organization_get_out_of_scope_is_404(world):
    with pytest.raises(Http404):
        selectors.organization_get(user=world.officer_b, pk=world.company_a.pk)


def test_organization_resolve_by_code_or_id(world):
    assert selectors.organization_resolve(user=world.hq, ref="CA1") == world.unit_a1
    assert selectors.organization_resolve(user=world.hq, ref=str(world.unit_b1.pk)) == world.unit_b1
    with pytest.raises(Http404):
        selectors.organization_resolve(user=world.officer_b, ref="CA")
    with pytest.raises(Http404):
        selectors.organization_resolve(user=world.officer_b, ref=str(world.company_a.pk))


def test_organization_resolve_prefers_a_numeric_code_over_an_id(world):
    numeric = make_org(world.company_a, code=str(world.company_b.pk), kind="unit")
    assert selectors.organization_resolve(user=world.hq, ref=numeric.code) == numeric


def test_breadcrumbs_in_one_query_and_in_scope(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # the user's memberships, then the ancestors
        crumbs = selectors.organization_breadcrumbs(
            user=world.officer_a, organizations=[world.unit_a1, world.company_a]
        )
    assert [a.code for a in crumbs[world.unit_a1.pk]] == ["CA"]
    assert crumbs[world.company_a.pk] == []
    hq = selectors.organization_breadcrumbs(user=world.hq, organizations=[world.unit_a1])
    assert [a.code for a in hq[world.unit_a1.pk]] == ["GRP", "CA"]


def test_employee_list_and_get_stay_in_scope(world):
    assert [e.employee_no for e in selectors.employee_list(user=world.officer_b)] == ["B-001"]
    assert [e.employee_no for e in selectors.employee_list(user=world.hq, organization=world.company_a)] == ["A-001"]
    with pytest.raises(Http404):
        selectors.employee_get(user=world.officer_b, pk=world.employee_a.pk)
    assert selectors.employee_get(user=world.employee_user, pk=world.employee_a.pk) == world.employee_a


def test_leadership_member_get_in_scope(world):
    group = leadership_group_set(actor=world.hq, organization=world.company_a)
    seat = leadership_member_add(actor=world.hq, group=group, position="member", person_name="Seat")
    assert selectors.leadership_member_get(user=world.viewer_a, pk=seat.pk) == seat
    with pytest.raises(Http404):
        selectors.leadership_member_get(user=world.officer_b, pk=seat.pk)


def test_region_rules_current_and_history(world):
    region = RegionFactory()
    RegionRuleFactory(region=region, effective_from=datetime.date(2020, 1, 1), risk_level="high")
    RegionRuleFactory(region=region, effective_from=datetime.date(2020, 3, 1), risk_level="low")
    RegionRuleFactory(region=region, effective_from=datetime.date(2999, 1, 1), risk_level="medium")
    assert selectors.region_rule_on(region=region).risk_level == "low"
    assert selectors.region_rule_on(region=region, day=datetime.date(2020, 2, 1)).risk_level == "high"
    assert [r.risk_level for r in selectors.region_rule_history(region=region)] == [
        "medium",
        "low",
        "high",
    ]
    current = dict(selectors.regions_with_current_rules())
    assert current[region].risk_level == "low"
    with pytest.raises(Http404):
        selectors.region_get(pk=999999)


def test_region_organizations_in_scope(world):
    region = RegionFactory()
    for org in (world.company_a, world.company_b):
        org.region = region
        org.save()
    assert [o.code for o in selectors.region_organizations(user=world.officer_a, region=region)] == ["CA"]


def test_organization_summary_counts_the_subtree(world):
    summary = selectors.organization_summary(user=world.hq, organization=world.company_a)
    assert summary["suborganizations"] == 1 and summary["employees"] == 1
    assert summary["by_kind"] == {"unit": 1}


def test_organization_summary_counts_every_level_by_kind(world):
    """Issue 9: "成员企业: 1 / 部门: 1" for a group with many organisations below it. The
    summary counts the whole subtree (depth 4 here), by kind, within the reader's scope."""
    for _ in range(3):
        company = make_org(world.group, kind=OrgKind.COMPANY)
        for _ in range(2):
            department = make_org(company, kind=OrgKind.DEPARTMENT)
            make_org(department, kind=OrgKind.UNIT)
    summary = selectors.organization_summary(user=world.hq, organization=world.group)
    # Below the group: companies A, B and 3 more; units A1, B1 and 6 more; 6 departments.
    assert summary["by_kind"] == {"company": 5, "department": 6, "unit": 8}
    assert summary["suborganizations"] == sum(summary["by_kind"].values()) == 19
    # Within an officer's scope only: company A's subtree.
    scoped = selectors.organization_summary(user=world.officer_a, organization=world.company_a)
    assert scoped["by_kind"] == {"unit": 1}


def test_organization_page_shows_the_subtree_by_kind(world, client_as):
    company = make_org(world.group, kind=OrgKind.COMPANY)
    for _ in range(3):
        make_org(make_org(company, kind=OrgKind.DEPARTMENT), kind=OrgKind.UNIT)
    response = client_as(world.hq).get(reverse("orgs:detail", args=[world.group.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode()
    assert response.status_code == 200
    assert "部门: 3" in text
