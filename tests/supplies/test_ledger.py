"""The ledger service: each use case moves exactly what it says, FEFO, and bad input moves nothing."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Sum

from sameboat.core.exceptions import DomainError, PermissionDenied
from sameboat.core.models import AuditEvent
from sameboat.supplies.models import Balance, Move, MoveKind
from sameboat.supplies.services import ledger
from tests.supplies.conftest import EXPIRY

pytestmark = pytest.mark.django_db


def qty(item, location, lot=None) -> int:
    qs = Balance.objects.filter(item=item, location=location)
    if lot is not None:
        qs = qs.filter(lot=lot)
    return qs.aggregate(n=Sum("quantity"))["n"] or 0


def receive(sw, item=None, location=None, quantity=100, lot="L1", expiry=EXPIRY, reference=""):
    return ledger.stock_receive(
        actor=sw.officer,
        item=item or sw.mask,
        location=location or sw.warehouse,
        quantity=quantity,
        lot=lot,
        expiry=expiry,
        reference=reference,
    )


def test_receipt_makes_a_move_a_balance_and_an_audit_event(sworld):
    moves = receive(sworld, quantity=10_000, reference="DON-1")
    assert [(m.kind, m.quantity, m.lot, m.from_location_id) for m in moves] == [(MoveKind.RECEIPT, 10_000, "L1", None)]
    assert qty(sworld.mask, sworld.warehouse) == 10_000
    event = AuditEvent.objects.get(action="supplies.stock.received")
    assert event.after["quantity"] == 10_000 and event.organization_id == sworld.warehouse.organization_id


def test_transfer_moves_stock_and_keeps_the_lot(sworld):
    receive(sworld)
    moves = ledger.stock_transfer(
        actor=sworld.officer, item=sworld.mask, source=sworld.warehouse, destination=sworld.store_a, quantity=40
    )
    assert [(m.lot, m.expiry, m.quantity) for m in moves] == [("L1", EXPIRY, 40)]
    assert qty(sworld.mask, sworld.warehouse) == 60
    assert Balance.objects.get(item=sworld.mask, location=sworld.store_a).expiry == EXPIRY
    ledger.stock_transfer(
        actor=sworld.officer, item=sworld.mask, source=sworld.warehouse, destination=sworld.store_a, quantity=60
    )
    assert (qty(sworld.mask, sworld.warehouse), qty(sworld.mask, sworld.store_a)) == (0, 100)


def test_issue_takes_the_lot_that_expires_first_then_the_next(sworld):
    receive(sworld, quantity=5, lot="LATE", expiry=datetime.date(2028, 1, 1))
    receive(sworld, quantity=3, lot="SOON", expiry=datetime.date(2027, 1, 1))
    moves = ledger.stock_issue(actor=sworld.officer, item=sworld.mask, location=sworld.warehouse, quantity=4)
    assert [(m.lot, m.quantity) for m in moves] == [("SOON", 3), ("LATE", 1)]
    assert (qty(sworld.mask, sworld.warehouse, "SOON"), qty(sworld.mask, sworld.warehouse, "LATE")) == (0, 4)


def test_a_named_lot_is_issued_from_that_lot_only(sworld):
    receive(sworld, quantity=5, lot="A")
    receive(sworld, quantity=5, lot="B", expiry=EXPIRY + datetime.timedelta(days=1))
    ledger.stock_issue(actor=sworld.officer, item=sworld.mask, location=sworld.warehouse, quantity=5, lot="B")
    assert (qty(sworld.mask, sworld.warehouse, "A"), qty(sworld.mask, sworld.warehouse, "B")) == (5, 0)
    with pytest.raises(DomainError) as exc:
        ledger.stock_issue(actor=sworld.officer, item=sworld.mask, location=sworld.warehouse, quantity=1, lot="B")
    assert exc.value.field == "quantity" and exc.value.code == "insufficient_stock"


def test_adjustments_both_ways_and_write_off_need_a_reason(sworld):
    ledger.stock_adjust(actor=sworld.officer, item=sworld.gloves, location=sworld.warehouse, delta=7, reason="count")
    ledger.stock_adjust(actor=sworld.officer, item=sworld.gloves, location=sworld.warehouse, delta=-2, reason="count")
    assert qty(sworld.gloves, sworld.warehouse) == 5
    with pytest.raises(DomainError) as exc:
        ledger.stock_write_off(
            actor=sworld.officer, item=sworld.gloves, location=sworld.warehouse, quantity=1, reason=""
        )
    assert exc.value.field == "reason"
    ledger.stock_write_off(
        actor=sworld.officer, item=sworld.gloves, location=sworld.warehouse, quantity=1, reason="wet"
    )
    ledger.stock_return(actor=sworld.officer, item=sworld.gloves, location=sworld.warehouse, quantity=2)
    assert qty(sworld.gloves, sworld.warehouse) == 6
    kinds = list(Move.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["adjustment", "adjustment", "write_off", "return"]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda sw: receive(sw, quantity=0), "quantity"),
        (lambda sw: receive(sw, quantity=-5), "quantity"),
        (lambda sw: receive(sw, quantity=True), "quantity"),
        (lambda sw: receive(sw, expiry=None), "expiry"),
        (lambda sw: receive(sw, lot="", expiry=EXPIRY), "lot"),
        (lambda sw: receive(sw, item=sw.ct, lot="", expiry=None), "lot"),
        (lambda sw: receive(sw, item=None.__class__), "item"),
        (lambda sw: receive(sw, lot="L0", expiry=EXPIRY + datetime.timedelta(days=9)), "expiry"),
        (
            lambda sw: ledger.stock_issue(actor=sw.officer, item=sw.mask, location=sw.warehouse, quantity=101),
            "quantity",
        ),
        (
            lambda sw: ledger.stock_adjust(actor=sw.officer, item=sw.mask, location=sw.warehouse, delta=0, reason="x"),
            "delta",
        ),
        (
            lambda sw: ledger.stock_adjust(
                actor=sw.officer, item=sw.mask, location=sw.warehouse, delta=-101, reason="x"
            ),
            "delta",
        ),
        (
            lambda sw: ledger.stock_transfer(
                actor=sw.officer, item=sw.mask, source=sw.warehouse, destination=sw.warehouse, quantity=1
            ),
            "destination",
        ),
    ],
)
def test_bad_input_names_the_field_and_moves_nothing(sworld, call, field):
    receive(sworld, lot="L0")  # 100 at the warehouse
    moves, balances = Move.objects.count(), list(Balance.objects.values_list("pk", "quantity"))
    with pytest.raises(DomainError) as exc:
        call(sworld)
    assert exc.value.field == field
    assert str(exc.value.message)
    assert Move.objects.count() == moves
    assert list(Balance.objects.values_list("pk", "quantity")) == balances


def test_the_unit_officer_issues_at_their_store_but_not_elsewhere(sworld):
    w = sworld.world
    ledger.stock_adjust(actor=sworld.officer, item=sworld.gloves, location=sworld.store_a, delta=3, reason="start")
    ledger.stock_adjust(actor=sworld.officer, item=sworld.gloves, location=sworld.store_b, delta=3, reason="start")
    ledger.stock_issue(actor=w.officer_a, item=sworld.gloves, location=sworld.store_a, quantity=1)
    with pytest.raises(PermissionDenied):
        ledger.stock_issue(actor=w.officer_a, item=sworld.gloves, location=sworld.store_b, quantity=1)
    with pytest.raises(PermissionDenied):  # receipts and transfers are the supply chain's
        ledger.stock_receive(actor=w.officer_a, item=sworld.gloves, location=sworld.store_a, quantity=1)
    with pytest.raises(PermissionDenied):
        ledger.stock_issue(actor=w.viewer_a, item=sworld.gloves, location=sworld.store_a, quantity=1)
    assert (qty(sworld.gloves, sworld.store_a), qty(sworld.gloves, sworld.store_b)) == (2, 3)
