"""The ledger under real concurrency on PostgreSQL: many connections racing for one balance,
and transfers crossing each other (the lock order that keeps them from deadlocking)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.db.models import Sum

from sameboat.core.exceptions import DomainError
from sameboat.supplies.models import Balance, Move, MoveKind
from sameboat.supplies.services import ledger
from tests.supplies.conftest import EXPIRY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n: int, fn) -> list:
    results: list = [None] * n
    barrier = threading.Barrier(n)

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # the test inspects every outcome
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_200_parallel_issues_against_100_in_stock(sworld):
    ledger.stock_receive(
        actor=sworld.officer, item=sworld.mask, location=sworld.warehouse, quantity=100, lot="L1", expiry=EXPIRY
    )

    def issue(_i: int):
        return ledger.stock_issue(actor=sworld.officer, item=sworld.mask, location=sworld.warehouse, quantity=1)

    # Threads beyond the database's connection budget would fail to connect, not race: 200
    # issues from 40 connections, five each, all started together.
    def five(i: int):
        return [_outcome(issue, i) for _ in range(5)]

    outcomes = [o for batch in _race(40, five) for o in batch]
    assert len(outcomes) == 200
    assert outcomes.count("ok") == 100
    assert outcomes.count("insufficient_stock") == 100  # and nothing else: no deadlock, no other error
    assert Balance.objects.get(item=sworld.mask, location=sworld.warehouse).quantity == 0
    assert Move.objects.filter(kind=MoveKind.ISSUE).aggregate(n=Sum("quantity"))["n"] == 100


def _outcome(fn, i):
    try:
        fn(i)
    except DomainError as exc:
        return exc.code
    return "ok"


def test_crossing_transfers_never_deadlock_and_conserve_stock(sworld):
    a, b = sworld.warehouse, sworld.store_a
    for place in (a, b):
        for lot in ("L1", "L2"):
            ledger.stock_receive(
                actor=sworld.officer, item=sworld.mask, location=place, quantity=100, lot=lot, expiry=EXPIRY
            )

    def shuttle(i: int):
        source, destination = (a, b) if i % 2 else (b, a)
        return [
            _outcome(
                lambda _i: ledger.stock_transfer(
                    actor=sworld.officer, item=sworld.mask, source=source, destination=destination, quantity=3
                ),
                i,
            )
            for _ in range(5)
        ]

    outcomes = [o for batch in _race(16, shuttle) for o in batch]
    assert set(outcomes) <= {"ok", "insufficient_stock"}
    assert Balance.objects.filter(item=sworld.mask).aggregate(n=Sum("quantity"))["n"] == 400
    assert not Balance.objects.filter(quantity__lt=0).exists()
