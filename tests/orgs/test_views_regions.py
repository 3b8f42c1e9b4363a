"""Region pages: the list with today's rules, one region's history and HQ's rule form."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sameboat.orgs.forms import RegionRuleForm
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
            "max_onsite_percent": "90",
            "quarantine_days": "0",
            "note": "reopened",
        },
    )
    assert response.status_code == 302
    assert hubei.rules.count() == 3
    rule = RegionRule.objects.get(region=hubei, effective_from=today)
    assert (rule.created_by, rule.max_onsite_ratio) == (world.hq, Decimal("0.9"))


def test_rule_form_errors_name_the_field(client_as, world, hubei):
    response = client_as(world.hq).post(
        reverse("orgs:region", args=[hubei.pk]),
        {
            "effective_from": "2020-05-01",
            "risk_level": "low",
            "max_onsite_percent": "150",
            "quarantine_days": "3",
        },
    )
    assert response.status_code == 200
    assert "max_onsite_percent" in response.context["form"].errors
    assert hubei.rules.count() == 2


@pytest.mark.parametrize("user_attr", ["viewer_a", "officer_a", "employee_user"])
def test_others_cannot_set_rules(client_as, world, hubei, user_attr):
    response = client_as(getattr(world, user_attr)).post(
        reverse("orgs:region", args=[hubei.pk]),
        {
            "effective_from": "2020-05-01",
            "risk_level": "low",
            "max_onsite_percent": "50",
            "quarantine_days": "3",
        },
    )
    assert response.status_code == 403
    assert hubei.rules.count() == 2


def test_ratios_show_as_percentages(hq_client, hubei):
    html = hq_client.get(reverse("orgs:region", args=[hubei.pk])).content.decode()
    assert "On site at most 50% of staff" in html and "<td>10%</td>" in html
    assert "50%" in hq_client.get(reverse("orgs:regions")).content.decode()


# --- The list grouped by country, the title said once, the cap as a percentage ---------------


@pytest.fixture
def abroad(db):
    """Regions created out of order, two of them outside the home country."""
    return {
        "BT": RegionFactory(code="BT", name_zh="不丹", name_en="Bhutan", country="BT"),
        "CN-TJ": RegionFactory(code="CN-TJ", name_zh="天津市", name_en="Tianjin"),
        "PK": RegionFactory(code="PK", name_zh="巴基斯坦", name_en="Pakistan", country="PK"),
        "CN-BJ": RegionFactory(code="CN-BJ", name_zh="北京市", name_en="Beijing"),
        "CN-AH": RegionFactory(code="CN-AH", name_zh="安徽省", name_en="Anhui"),
    }


def _listed(client, language):
    """(country testid, [region codes]) in page order."""
    html = client.get(reverse("orgs:regions"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    groups = re.findall(r'<tbody data-testid="region-group-(\w+)">(.*?)</tbody>', html, re.S)
    return [(country, re.findall(r'data-testid="region-row-([\w-]+)"', body)) for country, body in groups], html


def test_regions_are_grouped_by_country_home_first_then_by_name_in_chinese(client_as, world, abroad):
    groups, html = _listed(client_as(world.viewer_a), "zh-hans")
    # China first (home); then 巴基斯坦 (ba) before 不丹 (bu) in pinyin order; 安北天 within China.
    assert groups == [("CN", ["CN-AH", "CN-BJ", "CN-TJ"]), ("PK", ["PK"]), ("BT", ["BT"])]
    assert "中国" in html and "Country" not in html


def test_regions_are_sorted_by_their_english_names_in_english(client_as, world, abroad):
    groups, html = _listed(client_as(world.viewer_a), "en")
    # China still first; then Bhutan before Pakistan; Anhui, Beijing, Tianjin.
    assert groups == [("CN", ["CN-AH", "CN-BJ", "CN-TJ"]), ("BT", ["BT"]), ("PK", ["PK"])]
    assert "China" in html


def test_a_regions_title_says_its_name_once(client_as, world, abroad, hubei):
    client = client_as(world.viewer_a)
    html = client.get(reverse("orgs:region", args=[abroad["BT"].pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    title = re.search(r'data-testid="region-title">(.*?)</h1>', html, re.S).group(1)
    subtitle = re.search(r'data-testid="region-subtitle">(.*?)</p>', html, re.S).group(1)
    assert title == "不丹"
    # The English name and the code, not the country again (it is the region itself).
    assert "Bhutan" in subtitle and "BT" in subtitle and "不丹" not in subtitle
    html = client.get(reverse("orgs:region", args=[hubei.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    subtitle = re.search(r'data-testid="region-subtitle">(.*?)</p>', html, re.S).group(1)
    assert re.search(r'data-testid="region-title">Hubei</h1>', html)
    assert "湖北" in subtitle and "China" in subtitle and "Hubei" not in subtitle


def test_the_other_name_is_left_out_when_it_is_the_same(client_as, world):
    place = RegionFactory(code="XX", name_zh="", name_en="Atlantis")
    html = client_as(world.viewer_a).get(reverse("orgs:region", args=[place.pk])).content.decode()
    subtitle = re.search(r'data-testid="region-subtitle">(.*?)</p>', html, re.S).group(1)
    assert "Atlantis" not in subtitle


@pytest.mark.parametrize(
    "typed,stored,shown",
    [
        ("12.5", Decimal("0.125"), "12.5%"),
        ("100", Decimal("1"), "100%"),
        ("0", Decimal("0"), "0%"),
        ("50", Decimal("0.5"), "50%"),
    ],
)
def test_the_cap_is_typed_and_shown_as_a_percentage(frozen_today, client_as, world, hubei, typed, stored, shown):
    form = RegionRuleForm(
        {"effective_from": "2020-05-01", "risk_level": "low", "max_onsite_percent": typed, "quarantine_days": "3"}
    )
    assert form.is_valid(), form.errors
    assert form.rule_values()["max_onsite_ratio"] == stored
    client = client_as(world.hq)
    post = {"effective_from": frozen_today.isoformat(), "risk_level": "low", "max_onsite_percent": typed}
    assert client.post(reverse("orgs:region", args=[hubei.pk]), post | {"quarantine_days": "3"}).status_code == 302
    assert RegionRule.objects.get(region=hubei, effective_from=frozen_today).max_onsite_ratio == stored
    html = client.get(reverse("orgs:region", args=[hubei.pk])).content.decode()
    assert f"On site at most {shown} of staff" in html and f"<td>{shown}</td>" in html
    assert f"<td>{shown}</td>" in client.get(reverse("orgs:regions")).content.decode()


@pytest.mark.parametrize("typed", ["-1", "100.5", "150", "12.55", "abc"])
def test_a_bad_percentage_is_refused_beside_the_field_naming_it(typed):
    form = RegionRuleForm(
        {"effective_from": "2020-05-01", "risk_level": "low", "max_onsite_percent": typed, "quarantine_days": "3"}
    )
    assert not form.is_valid()
    assert list(form.errors) == ["max_onsite_percent"]
    assert "maximum on site" in form.errors["max_onsite_percent"][0]


def test_the_percentage_message_is_in_chinese(client_as, world, hubei):
    response = client_as(world.hq).post(
        reverse("orgs:region", args=[hubei.pk]),
        {"effective_from": "2020-05-01", "risk_level": "low", "max_onsite_percent": "150", "quarantine_days": "3"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    html = response.content.decode()
    assert "在岗率上限须为 0 到 100 之间的百分数。" in html and "在岗率上限（%）" in html
