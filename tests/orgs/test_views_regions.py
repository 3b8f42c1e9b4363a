"""Region pages: the list with today's rules, one region's history and HQ's rule form."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from sameboat.orgs.models import RegionRule
from tests.factories import RegionFactory, RegionRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hubei(db):
    region = RegionFactory(code="HB", name_en="Hubei", name_zh="湖北")
    RegionRuleFactory(
        region=region,
        effective_from=datetime.date(2020, 1, 23),
        risk_level="high",
        max_onsite_ratio="0.1",
        quarantine_days=14,
    )
    RegionRuleFactory(
        region=region,
        effective_from=datetime.date(2020, 4, 8),
        risk_level="medium",
        max_onsite_ratio="0.5",
        quarantine_days=7,
    )
    return region


def test_regions_list_shows_the_current_rule(client_as, world, hubei):
    response = client_as(world.viewer_a).get(reverse("orgs:regions"))
    html = response.content.decode()
    assert 'data-testid="region-row-HB"' in html and 'data-testid="risk-medium"' in html
    assert "risk-high" not in html


def test_region_history_newest_first(client_as, world, hubei):
    response = client_as(world.viewer_a).get(reverse("orgs:region", args=[hubei.pk]))
    rules = list(response.context["page"])
    assert [r.effective_from.month for r in rules] == [4, 1]
    assert response.context["form"] is None  # a viewer may not set rules
    assert "region-rule-form" not in response.content.decode()


def test_region_404(client_as, world):
    assert client_as(world.hq).get(reverse("orgs:region", args=[999999])).status_code == 404


def test_region_needs_login(client, hubei):
    assert client.get(reverse("orgs:region", args=[hubei.pk])).status_code == 302


def test_hq_sets_new_rules(frozen_today, client_as, world, hubei):
    client = client_as(world.hq)
    assert 'data-testid="region-rule-form"' in client.get(reverse("orgs:region", args=[hubei.pk])).content.decode()
    today = frozen_today
    response = client.post(
        reverse("orgs:region", args=[hubei.pk]),
        {
            "effective_from": today.isoformat(),
            "risk_level": "low",
            "max_onsite_ratio": "0.9",
            "quarantine_days": "0",
            "note": "reopened",
        },
    )
    assert response.status_code == 302
    assert hubei.rules.count() == 3
    assert RegionRule.objects.get(region=hubei, effective_from=today).created_by == world.hq


def test_rule_form_errors_name_the_field(client_as, world, hubei):
    response = client_as(world.hq).post(
        reverse("orgs:region", args=[hubei.pk]),
        {
            "effective_from": "2020-05-01",
            "risk_level": "low",
            "max_onsite_ratio": "1.5",
            "quarantine_days": "3",
        },
    )
    assert response.status_code == 200
    assert "max_onsite_ratio" in response.context["form"].errors
    assert hubei.rules.count() == 2


@pytest.mark.parametrize("user_attr", ["viewer_a", "officer_a", "employee_user"])
def test_others_cannot_set_rules(client_as, world, hubei, user_attr):
    response = client_as(getattr(world, user_attr)).post(
        reverse("orgs:region", args=[hubei.pk]),
        {
            "effective_from": "2020-05-01",
            "risk_level": "low",
            "max_onsite_ratio": "0.5",
            "quarantine_days": "3",
        },
    )
    assert response.status_code == 403
    assert hubei.rules.count() == 2


def test_ratios_show_as_percentages(hq_client, hubei):
    html = hq_client.get(reverse("orgs:region", args=[hubei.pk])).content.decode()
    assert "On site at most 50% of staff" in html and "<td>10%</td>" in html
    assert "50%" in hq_client.get(reverse("orgs:regions")).content.decode()
