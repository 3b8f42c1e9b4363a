"""The audit action codes of supplies: the catalogue, locations and every stock move."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "supplies.item.created": _("Supply item created"),
    "supplies.item.updated": _("Supply item changed"),
    "supplies.equivalence.added": _("Substitute item added"),
    "supplies.equivalence.removed": _("Substitute item removed"),
    "supplies.location.created": _("Stock location created"),
    "supplies.location.updated": _("Stock location changed"),
    "supplies.stock.received": _("Stock received"),
    "supplies.stock.transferred": _("Stock transferred"),
    "supplies.stock.issued": _("Stock issued"),
    "supplies.stock.adjusted": _("Stock adjusted"),
    "supplies.stock.returned": _("Stock returned"),
    "supplies.stock.written_off": _("Stock written off"),
    "demo.supplies.built": _("Demo supplies built"),
}
