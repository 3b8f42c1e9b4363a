"""The ledger's tables refuse writes that bypass the services, on SQLite and PostgreSQL
(run this file with both: it is not marked, so `make test` runs it on each)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from sameboat.supplies.ledger_guard import ledger_close, ledger_open
from sameboat.supplies.models import Balance, Move, MoveKind
from sameboat.supplies.services import ledger
from tests.supplies.conftest import EXPIRY

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(sworld):
    ledger.stock_receive(
        actor=sworld.officer, item=sworld.mask, location=sworld.warehouse, quantity=50, lot="L1", expiry=EXPIRY
    )
    return sworld


def refused(fn) -> bool:
    try:
        with transaction.atomic():
            fn()
    except DatabaseError:
        return True
    return False


def test_moves_cannot_be_changed_or_deleted(stocked):
    move = Move.objects.get()
    assert refused(lambda: Move.objects.filter(pk=move.pk).update(quantity=1))
    assert refused(lambda: Move.objects.filter(pk=move.pk).delete())
    assert Move.objects.get().quantity == 50


def test_balances_cannot_be_changed_or_deleted_outside_the_service(stocked):
    balance = Balance.objects.get()
    assert refused(lambda: Balance.objects.filter(pk=balance.pk).update(quantity=999))
    assert refused(lambda: Balance.objects.filter(pk=balance.pk).delete())
    assert Balance.objects.get().quantity == 50


def test_neither_can_be_inserted_outside_the_service(stocked):
    sw = stocked
    assert refused(lambda: Balance.objects.create(item=sw.gloves, location=sw.warehouse, quantity=5))
    assert refused(
        lambda: Move.objects.create(kind=MoveKind.RECEIPT, item=sw.gloves, to_location=sw.warehouse, quantity=5)
    )
    assert not Balance.objects.filter(item=sw.gloves).exists()


def test_even_with_the_pass_open_moves_stay_append_only_and_balances_keep_their_identity(stocked):
    balance, move = Balance.objects.get(), Move.objects.get()

    def with_pass(fn):
        def run():
            ledger_open(connection)
            fn()
            ledger_close(connection)

        return run

    assert refused(with_pass(lambda: Move.objects.filter(pk=move.pk).update(quantity=1)))
    assert refused(with_pass(lambda: Balance.objects.filter(pk=balance.pk).delete()))
    assert refused(with_pass(lambda: Balance.objects.filter(pk=balance.pk).update(lot="OTHER")))
    # The one change the service makes: the quantity, with the pass open.
    assert not refused(with_pass(lambda: Balance.objects.filter(pk=balance.pk).update(quantity=49)))


def test_the_pass_is_closed_after_the_service(stocked):
    ledger.stock_issue(actor=stocked.officer, item=stocked.mask, location=stocked.warehouse, quantity=1)
    assert refused(lambda: Balance.objects.update(quantity=0))
    assert Balance.objects.get().quantity == 49


def test_the_database_refuses_a_negative_balance_even_with_the_pass(stocked):
    def negative():
        ledger_open(connection)
        Balance.objects.update(quantity=-1)

    try:
        with transaction.atomic():
            negative()
        raise AssertionError("a negative balance was stored")
    except DatabaseError as exc:  # IntegrityError is one
        assert "supplies_balance_not_negative" in str(exc) or "CHECK" in str(exc).upper()
