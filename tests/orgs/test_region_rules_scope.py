"""Region rules bind every organisation located in the region, so only HQ whose scope covers
all of them may set them (issue 7): before, HQ of anything could set every region's rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from sameboat.accounts.roles import Role
from sameboat.core.exceptions import PermissionDenied
from sameboat.orgs.models import Organization, RegionRule
from sameboat.orgs.services import region_rule_set
from tests.api.conftest import assert_error
from tests.factories import RegionFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

BODY = {"effective_from": "2020-03-01", "risk_level": "high", "max_onsite_ratio": "0.100", "quarantine_days": 21}


@pytest.fixture
def people(world):
    """Company A's manager, officer and HQ; company B's HQ; HQ on the group root (world.hq)."""
    users = {"hq_group": world.hq, "officer_a": world.officer_a}
    for name, org, role in [
        ("manager_a", world.company_a, Role.UNIT_MANAGER),
        ("hq_a", world.company_a, Role.HQ_COMMANDER),
        ("hq_b", world.company_b, Role.HQ_COMMANDER),
    ]:
        users[name] = UserFactory(username=name)
        grant(users[name], org, role)
    superuser = UserFactory(username="root")
    superuser.is_superuser = True
    superuser.save()
    users["superuser"] = superuser
    return users


def _locate(region, *orgs):
    Organization.objects.filter(pk__in=[o.pk for o in orgs]).update(region=region)


@pytest.fixture
def regions(world):
    """One region used by company B only, one by both companies, one by nobody."""
    used_by_b = RegionFactory(code="B-ONLY")
    _locate(used_by_b, world.unit_b1)
    shared = RegionFactory(code="SHARED")
    _locate(shared, world.unit_a1, world.company_b)
    unused = RegionFactory(code="UNUSED")
    return {"b": used_by_b, "shared": shared, "unused": unused}


ALLOWED = {  # region -> who may set its rules
    "b": {"hq_group", "hq_b", "superuser"},
    "shared": {"hq_group", "superuser"},
    "unused": {"hq_group", "superuser"},  # only HQ at a tree root
}
WHO = ["hq_group", "hq_a", "hq_b", "manager_a", "officer_a", "superuser"]


@pytest.mark.parametrize("region", list(ALLOWED))
@pytest.mark.parametrize("who", WHO)
def test_region_rules_api(world, people, regions, region, who, api_as):
    response = api_as(people[who]).post(f"/api/v1/regions/{regions[region].pk}/rules/", BODY, format="json")
    stored = RegionRule.objects.filter(region=regions[region])
    if who in ALLOWED[region]:
        assert response.status_code == 201, response.json()
        assert stored.get().quarantine_days == 21
    else:
        assert_error(response, 403, "permission_denied")
        assert not stored.exists()


@pytest.mark.parametrize("region", list(ALLOWED))
@pytest.mark.parametrize("who", WHO)
def test_region_rules_service(world, people, regions, region, who):
    values = {"risk_level": "high", "max_onsite_ratio": Decimal("0.1"), "quarantine_days": 21}
    if who in ALLOWED[region]:
        assert region_rule_set(actor=people[who], region=regions[region], **values).quarantine_days == 21
    else:
        with pytest.raises(PermissionDenied):
            region_rule_set(actor=people[who], region=regions[region], **values)
        assert not RegionRule.objects.filter(region=regions[region]).exists()


@pytest.mark.parametrize("region", list(ALLOWED))
@pytest.mark.parametrize("who", WHO)
def test_region_page_offers_the_form_only_to_those_who_may(client_as, world, people, regions, region, who):
    client = client_as(people[who])
    url = reverse("orgs:region", args=[regions[region].pk])
    html = client.get(url).content.decode()
    assert ('data-testid="region-rule-form"' in html) == (who in ALLOWED[region])
    # The page's form takes the cap as a percentage; the API (BODY) as a 0–1 share.
    response = client.post(url, BODY | {"max_onsite_ratio": "", "max_onsite_percent": "10"})
    if who in ALLOWED[region]:
        assert response.status_code == 302
        assert RegionRule.objects.filter(region=regions[region]).exists()
    else:
        assert response.status_code == 403
        assert not RegionRule.objects.filter(region=regions[region]).exists()


def test_moving_an_organisation_into_a_region_takes_it_out_of_a_company_hqs_hands(world, people, regions):
    """The rule follows the data: once company A has a unit in B's region, B's HQ alone no
    longer decides it."""
    values = {"risk_level": "low", "max_onsite_ratio": Decimal("1"), "quarantine_days": 0}
    region_rule_set(actor=people["hq_b"], region=regions["b"], **values)
    _locate(regions["b"], world.unit_a1)
    with pytest.raises(PermissionDenied):
        region_rule_set(actor=people["hq_b"], region=regions["b"], **values | {"quarantine_days": 1})
