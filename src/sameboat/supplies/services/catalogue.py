"""Writes to the catalogue: items and which items may stand in for which."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sameboat.core.audit import Changes, audit, snapshot
from sameboat.core.exceptions import DomainError
from sameboat.supplies.access import CATALOGUE_ROLES
from sameboat.supplies.models import Equivalence, Item
from sameboat.supplies.services.common import clean_or_refuse, require_role

ITEM_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "category",
    "unit",
    "pack_size",
    "standard",
    "shelf_life_days",
    "serial_tracked",
    "needs_expiry",
    "is_active",
)
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _check_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise DomainError(
            _("A code is letters, digits, dots, dashes and underscores, starting with a letter or digit."),
            field="code",
            code="invalid",
        )
    return code


@transaction.atomic
def item_create(*, actor: Any, **fields: Any) -> Item:
    """Add an item to the catalogue."""
    require_role(actor, CATALOGUE_ROLES)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"item_create: unknown fields {sorted(unknown)}")
    fields["code"] = _check_code(fields.get("code", ""))
    item = Item(**fields)
    if Item.objects.filter(code=item.code).exists():
        raise DomainError(_("An item with this code exists already."), field="code", code="duplicate")
    clean_or_refuse(item)
    item.save()
    audit("supplies.item.created", item, Changes(after=snapshot(item, ITEM_FIELDS)), actor=actor, organization=None)
    return item


@transaction.atomic
def item_update(*, actor: Any, item: Item, **fields: Any) -> Item:
    """Change an item's fields (its code stays: moves and spreadsheets name it)."""
    require_role(actor, CATALOGUE_ROLES)
    unknown = set(fields) - set(ITEM_FIELDS) | ({"code"} & set(fields))
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    item = Item.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item, ITEM_FIELDS)
    for name, value in fields.items():
        setattr(item, name, value)
    clean_or_refuse(item)
    item.save()
    audit(
        "supplies.item.updated",
        item,
        Changes.between(before, snapshot(item, ITEM_FIELDS)),
        actor=actor,
        organization=None,
        if_changed=True,
    )
    return item


@transaction.atomic
def equivalence_add(*, actor: Any, item: Item, substitute: Item, note: str = "") -> Equivalence:
    """Let ``substitute`` stand in for ``item``."""
    require_role(actor, CATALOGUE_ROLES)
    if item.pk == substitute.pk:
        raise DomainError(_("An item cannot substitute for itself."), field="substitute", code="invalid")
    if Equivalence.objects.filter(item=item, substitute=substitute).exists():
        raise DomainError(_("This substitute is listed already."), field="substitute", code="duplicate")
    eq = Equivalence.objects.create(item=item, substitute=substitute, note=note.strip())
    audit(
        "supplies.equivalence.added",
        item,
        Changes(after={"substitute": substitute.code, "note": eq.note}),
        actor=actor,
        organization=None,
    )
    return eq


@transaction.atomic
def equivalence_remove(*, actor: Any, equivalence: Equivalence) -> None:
    """Stop letting a substitute stand in."""
    require_role(actor, CATALOGUE_ROLES)
    audit(
        "supplies.equivalence.removed",
        equivalence.item,
        Changes(before={"substitute": equivalence.substitute.code}),
        actor=actor,
        organization=None,
    )
    equivalence.delete()
