"""Health fixtures: the shared world plus a region with rules and a few roster entries.

Every health test runs on the suite's fixed day (``frozen_today``): check-in days, the
cut-off, quarantine ends and the returns are all "today" arithmetic, and a test that ran
across midnight, or after the cut-off, would see another day or a late report."""

from __future__ import annotations

import datetime

import pytest

from sameboat.orgs.models import Region, RegionRule


@pytest.fixture(autouse=True)
def today(frozen_today) -> datetime.date:
    """The fixed day every health test runs on (autouse, so the clock is frozen before any
    other fixture writes a row)."""
    return frozen_today


@pytest.fixture
def regions(db, today):
    """A low-risk home region (where the units are) and a high-risk one."""
    home = Region.objects.create(code="CN-SC", name_zh="四川", name_en="Sichuan")
    hot = Region.objects.create(code="CN-HB", name_zh="湖北", name_en="Hubei")
    since = today - datetime.timedelta(days=60)
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
