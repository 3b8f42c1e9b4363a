"""Every organisation of the world: the group's tree, the council's, and those outside."""

from __future__ import annotations

from typing import Any

from sameboat.demo.builder import DemoContext
from sameboat.demo.world import ROOTS, walk_with_parents
from sameboat.orgs.services import organization_create


def run(ctx: DemoContext) -> None:
    """Create the roots in code order, then each tree parents first."""
    for root in ROOTS:
        for spec, parent_code in walk_with_parents(root):
            fields: dict[str, Any] = {"country": spec.country}
            if spec.region:
                fields["region"] = ctx.regions[spec.region]
            if spec.address:
                fields["address"] = spec.address
            if spec.contact_email:
                fields["contact_email"] = spec.contact_email
            ctx.orgs[spec.code] = organization_create(
                actor=None,
                parent=ctx.orgs[parent_code] if parent_code else None,
                code=spec.code,
                name_zh=spec.name_zh,
                name_en=spec.name_en,
                kind=spec.kind,
                **fields,
            )
            ctx.counts["organisations"] += 1
