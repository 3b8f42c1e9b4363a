"""Supplies in the small demo world: the catalogue, the warehouses and stores, the Turkish
group's 10,000 masks received at the group's warehouse, and a ledger whose balances are the
sums of its moves."""

from __future__ import annotations

from collections import Counter

import pytest

from sameboat.core.models import AuditEvent
from sameboat.supplies.models import Balance, Equivalence, Item, Location, Move, MoveKind, Standard

pytestmark = pytest.mark.usefixtures("small_world")


def test_the_catalogue_has_masks_of_every_standard_and_their_substitutes(db):
    standards = set(Item.objects.filter(code__startswith="MASK").values_list("standard", flat=True))
    assert {
        Standard.GB2626_KN95,
        Standard.GB19083,
        Standard.YY0469,
        Standard.EN149_FFP2,
        Standard.NIOSH_N95,
    } <= standards
    assert Equivalence.objects.filter(item__code="MASK-KN95", substitute__code="MASK-FFP2").exists()
    assert Item.objects.filter(serial_tracked=True).exists()


def test_the_donation_of_10000_masks_was_received_at_the_group_warehouse(db):
    donation = Move.objects.get(reference="DON-TR-0212")
    assert (donation.kind, donation.quantity, donation.item.code) == (MoveKind.RECEIPT, 10_000, "MASK-KN95")
    assert donation.to_location.organization.code == "TZET"
    assert "Stay Strong China" in donation.reason and "04:00" in donation.reason
    assert AuditEvent.objects.filter(action="supplies.stock.received").exists()


def test_several_warehouses_stores_and_a_transit_place(db):
    kinds = Counter(Location.objects.values_list("kind", flat=True))
    assert kinds["warehouse"] >= 3 and kinds["store"] >= 4 and kinds["transit"] == 1


def test_the_demo_ledger_holds_its_invariant(db):
    sums: Counter[tuple[int, int, str]] = Counter()
    for m in Move.objects.all():
        if m.to_location_id:
            sums[m.item_id, m.to_location_id, m.lot] += m.quantity
        if m.from_location_id:
            sums[m.item_id, m.from_location_id, m.lot] -= m.quantity
    balances = {(b.item_id, b.location_id, b.lot): b.quantity for b in Balance.objects.all()}
    assert {k: v for k, v in balances.items() if v} == {k: v for k, v in sums.items() if v}
    assert Balance.objects.filter(location__code="ST-TZ02-U1", item__code="MASK-KN95").get().quantity < 3_000
