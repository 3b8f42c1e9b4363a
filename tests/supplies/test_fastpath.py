"""The ledger's fast path (supplies/fastpath.py, PostgreSQL) does exactly what the plain
service does: the same moves, balances, audit rows and refusals, whether one lot serves the
issue, several must, or none can; and it leaves the guard's pass closed."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from sameboat.core.exceptions import DomainError
from sameboat.core.models import AuditEvent
from sameboat.supplies.models import Balance, Move
from sameboat.supplies.services import ledger

pytestmark = pytest.mark.django_db


def scenario(sw) -> dict:
    o = sw.officer
    ledger.stock_receive(
        actor=o, item=sw.mask, location=sw.warehouse, quantity=5, lot="SOON", expiry=datetime.date(2027, 1, 1)
    )
    ledger.stock_receive(
        actor=o, item=sw.mask, location=sw.warehouse, quantity=10, lot="LATE", expiry=datetime.date(2028, 1, 1)
    )
    ledger.stock_issue(actor=o, item=sw.mask, location=sw.warehouse, quantity=3, reference="one lot")
    ledger.stock_issue(actor=o, item=sw.mask, location=sw.warehouse, quantity=4, reason="two lots")
    with pytest.raises(DomainError) as refused:
        ledger.stock_issue(actor=o, item=sw.mask, location=sw.warehouse, quantity=100)
    with transaction.atomic():  # inside a caller's transaction, as the idempotent API runs it
        ledger.stock_issue(actor=o, item=sw.mask, location=sw.warehouse, quantity=1)
        closed = _refused(lambda: Balance.objects.update(quantity=0))
    return {
        "moves": list(
            Move.objects.order_by("pk").values_list(
                "kind", "lot", "expiry", "quantity", "from_location", "to_location", "reason", "reference", "actor"
            )
        ),
        "balances": sorted(Balance.objects.values_list("lot", "quantity")),
        "audit": [e.after for e in AuditEvent.objects.filter(action__startswith="supplies.stock").order_by("pk")],
        "refusal": (refused.value.field, refused.value.code, str(refused.value.message)),
        "pass_closed_after": closed,
    }


def _refused(fn) -> bool:
    try:
        with transaction.atomic():
            fn()
    except DatabaseError:
        return True
    return False


def test_the_fast_path_equals_the_plain_one(sworld, settings):
    settings.SAMEBOAT_FAST_PATHS = True
    with transaction.atomic():
        fast = scenario(sworld)
        transaction.set_rollback(True)
    settings.SAMEBOAT_FAST_PATHS = False
    plain = scenario(sworld)
    assert fast == plain
    assert plain["balances"] == [("LATE", 7), ("SOON", 0)]
    assert plain["pass_closed_after"] is True


@pytest.mark.postgres
def test_the_fast_path_runs_on_postgresql(sworld, settings, django_assert_max_num_queries):
    settings.SAMEBOAT_FAST_PATHS = True
    ledger.stock_receive(
        actor=sworld.officer,
        item=sworld.mask,
        location=sworld.warehouse,
        quantity=5,
        lot="A",
        expiry=datetime.date(2027, 1, 1),
    )
    assert connection.vendor == "postgresql"
    # Savepoint, the one statement, closing the pass (inside the test's transaction), audit,
    # release: against nine for the plain path.
    with django_assert_max_num_queries(5):
        moves = ledger.stock_issue(actor=sworld.officer, item=sworld.mask, location=sworld.warehouse, quantity=2)
    assert [(m.lot, m.quantity, m.pk is not None) for m in moves] == [("A", 2, True)]
