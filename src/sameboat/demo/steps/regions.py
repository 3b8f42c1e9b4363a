"""Regions and the history of their risk levels and rules."""

from __future__ import annotations

from sameboat.demo.builder import DemoContext
from sameboat.demo.data import REGIONS
from sameboat.orgs.services import region_create, region_rule_set


def run(ctx: DemoContext) -> None:
    """Create every region with its rule changes over the last 90 days."""
    for spec in REGIONS:
        region = region_create(
            actor=None,
            code=spec.code,
            name_zh=spec.name_zh,
            name_en=spec.name_en,
            country=spec.country,
        )
        ctx.regions[spec.code] = region
        for rule in spec.rules:
            region_rule_set(
                actor=None,
                region=region,
                risk_level=rule.risk_level,
                max_onsite_ratio=rule.max_onsite_ratio,
                quarantine_days=rule.quarantine_days,
                effective_from=ctx.days_ago(rule.days_ago),
                note=rule.note,
            )
            ctx.counts["region_rules"] += 1
    ctx.counts["regions"] += len(REGIONS)
