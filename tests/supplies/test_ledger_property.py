"""A Hypothesis state machine over the ledger: random receipts, transfers, issues,
adjustments, returns and write-offs. After every step each balance equals the sum of its
moves, none is negative, the stock per item and place is what a plain model predicts, and a
transfer leaves the total unchanged. A refused step (more than the stock) changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from sameboat.core.exceptions import DomainError
from sameboat.supplies.models import Balance, Move
from sameboat.supplies.services import ledger

pytestmark = pytest.mark.django_db

LOTS = {"A": datetime.date(2027, 1, 31), "B": datetime.date(2027, 6, 30), "C": datetime.date(2028, 3, 1)}
places = st.integers(min_value=0, max_value=2)
amounts = st.integers(min_value=1, max_value=40)


def make_machine(sw):
    locations = [sw.warehouse, sw.store_a, sw.store_b]
    items = [sw.mask, sw.gloves]

    class Ledger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            # Each run starts from an empty ledger: its writes roll back at teardown.
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.stock: Counter[tuple[int, int]] = Counter()  # (item, location) -> units

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def _lot(self, item, lot):
            return (lot, LOTS[lot]) if item.needs_expiry else ("", None)

        def _try(self, fn, changes: dict[tuple[int, int], int]) -> None:
            total_before = Balance.objects.aggregate(n=Sum("quantity"))["n"] or 0
            try:
                fn()
            except DomainError as exc:
                assert exc.code == "insufficient_stock", exc
                assert (Balance.objects.aggregate(n=Sum("quantity"))["n"] or 0) == total_before
                return
            for key, delta in changes.items():
                self.stock[key] += delta

        @rule(i=st.sampled_from([0, 1]), p=places, n=amounts, lot=st.sampled_from(sorted(LOTS)))
        def receive(self, i, p, n, lot):
            item, loc = items[i], locations[p]
            lot, expiry = self._lot(item, lot)
            ledger.stock_receive(actor=sw.officer, item=item, location=loc, quantity=n, lot=lot, expiry=expiry)
            self.stock[item.pk, loc.pk] += n

        @rule(i=st.sampled_from([0, 1]), p=places, n=amounts, lot=st.sampled_from(sorted(LOTS)))
        def give_back(self, i, p, n, lot):
            item, loc = items[i], locations[p]
            lot, expiry = self._lot(item, lot)
            ledger.stock_return(actor=sw.officer, item=item, location=loc, quantity=n, lot=lot, expiry=expiry)
            self.stock[item.pk, loc.pk] += n

        @rule(i=st.sampled_from([0, 1]), src=places, dst=places, n=amounts)
        def transfer(self, i, src, dst, n):
            if src == dst:
                return
            item, a, b = items[i], locations[src], locations[dst]
            total = Balance.objects.aggregate(n=Sum("quantity"))["n"] or 0
            self._try(
                lambda: ledger.stock_transfer(actor=sw.officer, item=item, source=a, destination=b, quantity=n),
                {(item.pk, a.pk): -n, (item.pk, b.pk): n},
            )
            assert (Balance.objects.aggregate(n=Sum("quantity"))["n"] or 0) == total  # conserved

        @rule(i=st.sampled_from([0, 1]), p=places, n=amounts)
        def issue(self, i, p, n):
            item, loc = items[i], locations[p]
            self._try(
                lambda: ledger.stock_issue(actor=sw.officer, item=item, location=loc, quantity=n),
                {(item.pk, loc.pk): -n},
            )

        @rule(i=st.sampled_from([0, 1]), p=places, n=amounts)
        def write_off(self, i, p, n):
            item, loc = items[i], locations[p]
            self._try(
                lambda: ledger.stock_write_off(actor=sw.officer, item=item, location=loc, quantity=n, reason="r"),
                {(item.pk, loc.pk): -n},
            )

        @rule(
            i=st.sampled_from([0, 1]),
            p=places,
            delta=st.integers(-40, 40).filter(bool),
            lot=st.sampled_from(sorted(LOTS)),
        )
        def adjust(self, i, p, delta, lot):
            item, loc = items[i], locations[p]
            lot, expiry = self._lot(item, lot)
            self._try(
                lambda: ledger.stock_adjust(
                    actor=sw.officer,
                    item=item,
                    location=loc,
                    delta=delta,
                    reason="count",
                    lot=lot if delta > 0 else None,
                    expiry=expiry if delta > 0 else None,
                ),
                {(item.pk, loc.pk): delta},
            )

        @invariant()
        def balances_are_the_sum_of_their_moves(self):
            from_moves: Counter[tuple[int, int, str]] = Counter()
            for m in Move.objects.all():
                if m.to_location_id:
                    from_moves[m.item_id, m.to_location_id, m.lot] += m.quantity
                if m.from_location_id:
                    from_moves[m.item_id, m.from_location_id, m.lot] -= m.quantity
            balances = {(b.item_id, b.location_id, b.lot): b.quantity for b in Balance.objects.all()}
            assert all(q >= 0 for q in balances.values())
            assert {k: v for k, v in balances.items() if v} == {k: v for k, v in from_moves.items() if v}
            per_place: Counter[tuple[int, int]] = Counter()
            for (item_id, loc_id, _lot), q in balances.items():
                per_place[item_id, loc_id] += q
            assert +per_place == +self.stock

    return Ledger


def test_the_ledger_holds_its_invariants(sworld):
    run_state_machine_as_test(
        make_machine(sworld),
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
