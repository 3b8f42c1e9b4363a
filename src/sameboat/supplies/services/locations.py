"""Writes to stock locations: an organisation's warehouses and stores, and its "in transit"."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sameboat.core.audit import Changes, audit, snapshot
from sameboat.core.exceptions import DomainError
from sameboat.supplies.access import SUPPLY_CHAIN_ROLES
from sameboat.supplies.models import Location, LocationKind
from sameboat.supplies.services.catalogue import _check_code
from sameboat.supplies.services.common import clean_or_refuse, require_reach

LOCATION_FIELDS = ("code", "name_zh", "name_en", "kind", "address", "is_active")


@transaction.atomic
def location_create(
    *,
    actor: Any,
    organization: Any,
    code: str,
    name_zh: str,
    name_en: str,
    kind: str = LocationKind.WAREHOUSE,
    address: str = "",
) -> Location:
    """Add a warehouse or store (or the transit place) to an organisation the actor supplies."""
    require_reach(actor, organization, SUPPLY_CHAIN_ROLES)
    code = _check_code(code)
    if Location.objects.filter(code=code).exists():
        raise DomainError(_("A location with this code exists already."), field="code", code="duplicate")
    if kind == LocationKind.TRANSIT and Location.objects.filter(organization=organization, kind=kind).exists():
        raise DomainError(_("This organisation has its transit location already."), field="kind", code="duplicate")
    location = Location(
        organization=organization,
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        kind=kind,
        address=address.strip(),
    )
    clean_or_refuse(location, exclude=["organization"])
    location.save()
    audit("supplies.location.created", location, Changes(after=snapshot(location, LOCATION_FIELDS)), actor=actor)
    return location


@transaction.atomic
def location_update(*, actor: Any, location: Location, **fields: Any) -> Location:
    """Rename, re-address or deactivate a location (its code and organisation stay)."""
    require_reach(actor, location.organization, SUPPLY_CHAIN_ROLES)
    allowed = {"name_zh", "name_en", "address", "is_active"}
    if set(fields) - allowed:
        raise DomainError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(set(fields) - allowed))})
    before = snapshot(location, LOCATION_FIELDS)
    for name, value in fields.items():
        setattr(location, name, value.strip() if isinstance(value, str) else value)
    clean_or_refuse(location, exclude=["organization"])
    location.save()
    audit(
        "supplies.location.updated",
        location,
        Changes.between(before, snapshot(location, LOCATION_FIELDS)),
        actor=actor,
        if_changed=True,
    )
    return location


def location_transit(*, organization: Any) -> Location:
    """The organisation's "in transit" location, made the first time it is needed."""
    found = Location.objects.filter(organization=organization, kind=LocationKind.TRANSIT).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Location.objects.create(
                organization=organization,
                code=f"{organization.code}-TRANSIT",
                name_zh=f"{organization.name_zh}（在途）",
                name_en=f"{organization.name_en} (in transit)",
                kind=LocationKind.TRANSIT,
            )
    except IntegrityError:  # made meanwhile by a concurrent request
        return Location.objects.get(organization=organization, kind=LocationKind.TRANSIT)
