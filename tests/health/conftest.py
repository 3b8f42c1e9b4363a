"""Health fixtures: the shared world plus a region with rules and a few roster entries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sameboat.orgs.models import Region, RegionRule


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def regions(db):
    """A low-risk home region (where the units are) and a high-risk one."""
    home = Region.objects.create(code="CN-SC", name_zh="四川", name_en="Sichuan")
    hot = Region.objects.create(code="CN-HB", name_zh="湖北", name_en="Hubei")
    since = timezone.localdate() - datetime.timedelta(days=60)
    RegionRule.objects.create(
        region=home, effective_from=since, risk_level="low", max_onsite_ratio="0.8", quarantine_days=14
    )
    RegionRule.objects.create(
        region=hot, effective_from=since, risk_level="high", max_onsite_ratio="0.2", quarantine_days=14
    )
    return {"home": home, "hot": hot}


@pytest.fixture
def hworld(world, regions):
    """The world with its units placed in the home region."""
    from sameboat.orgs.models import Organization

    Organization.objects.filter(pk__in=[world.unit_a1.pk, world.unit_b1.pk]).update(region=regions["home"])
    world.unit_a1.refresh_from_db()
    world.unit_b1.refresh_from_db()
    world.employee_a.refresh_from_db()
    world.employee_b.refresh_from_db()
    world.regions = regions
    return world
