"""Stock moves per second through the ledger service on PostgreSQL (8 concurrent writers on
50 hot balances: the guard's pass, the row locks, the conditional decrement, the move, the
audit row), divided by moves per second of a bare loop on the same database in the same run:
one conditional ``UPDATE … SET qty = qty - n WHERE id = %s AND qty >= n`` plus one INSERT per
move, each move its own transaction, on tables of its own.

Rounds alternate (service, bare, service, bare, …); the ratio is the median of the
per-round ratios, with their spread. After the run every balance must equal its receipts
less its moves out, and none may be negative ("violations" counts the ones that do not).

Goal (issue 10): ratio >= 0.4 with zero invariant violations.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

WRITERS = 8
ITEMS = 5
LOCATIONS = 10  # ITEMS x LOCATIONS = 50 hot balances
STOCK = 10**9
ROUNDS = 3
SECONDS = 3.0


def _build() -> tuple[Any, list[tuple[Any, Any]]]:
    from sameboat.accounts.models import Membership, User
    from sameboat.accounts.roles import Role
    from sameboat.orgs.models import Organization
    from sameboat.supplies.models import Category, Item, Location
    from sameboat.supplies.services import ledger

    group = Organization.objects.add_root(
        create_kwargs={"code": "LG", "name_zh": "集团", "name_en": "Group", "kind": "group"}
    )
    officer = User.objects.create(username="bench-supplies")
    Membership.objects.create(user=officer, organization=group, role=Role.SUPPLIES_OFFICER)
    items = [
        Item.objects.create(code=f"B-{i}", name_zh=f"物资{i}", name_en=f"Item {i}", category=Category.PROTECTIVE)
        for i in range(ITEMS)
    ]
    places = [
        Location.objects.create(organization=group, code=f"BL-{n}", name_zh=f"库{n}", name_en=f"Store {n}")
        for n in range(LOCATIONS)
    ]
    hot = []
    for item in items:
        for place in places:
            ledger.stock_receive(actor=officer, item=item, location=place, quantity=STOCK)
            hot.append((item, place))
    return officer, hot


def _bare_tables(cursor: Any) -> None:
    cursor.execute("DROP TABLE IF EXISTS bench_bare_move, bench_bare_balance")
    cursor.execute("CREATE TABLE bench_bare_balance (id serial PRIMARY KEY, qty bigint NOT NULL CHECK (qty >= 0))")
    cursor.execute(
        "CREATE TABLE bench_bare_move (id bigserial PRIMARY KEY, balance_id int NOT NULL, qty bigint NOT NULL,"
        " at timestamptz NOT NULL DEFAULT now())"
    )
    cursor.execute(
        "INSERT INTO bench_bare_balance (qty) SELECT %s FROM generate_series(1, %s)", [STOCK, ITEMS * LOCATIONS]
    )


def _writers(step: Callable[[random.Random], None], seconds: float) -> tuple[int, int]:
    """Run WRITERS processes calling ``step`` until the time is up; (moves, errors).

    Processes, not threads: in production each writer is a gunicorn sync worker of its own,
    and threads of one process would measure Python's lock instead of the database's.
    """
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    go = context.Event()

    def work(i: int) -> None:
        rng = random.Random(i)
        done = failed = 0
        go.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                step(rng)
                done += 1
            except Exception:  # counted: a deadlock or any failure is an error
                failed += 1
        connections.close_all()
        results.put((done, failed))

    workers = [context.Process(target=work, args=(i,)) for i in range(WRITERS)]
    for w in workers:
        w.start()
    go.set()
    totals = [results.get() for _ in workers]
    for w in workers:
        w.join()
    return sum(d for d, _ in totals), sum(f for _, f in totals)


def run() -> Iterator[dict[str, Any]]:
    """Alternate the service and the bare loop; compare their rates and check the ledger."""
    from django.db import connection, transaction
    from django.db.models import Sum

    if connection.vendor != "postgresql":
        yield {"skipped": "needs PostgreSQL (set DATABASE_URL or run a local server)"}
        return
    from sameboat.supplies.models import Balance, Move, MoveKind
    from sameboat.supplies.services import ledger

    officer, hot = _build()
    with connection.cursor() as cursor:
        _bare_tables(cursor)
    n_bare = ITEMS * LOCATIONS

    def ours(rng: random.Random) -> None:
        item, place = hot[rng.randrange(len(hot))]
        ledger.stock_issue(actor=officer, item=item, location=place, quantity=1)

    def bare(rng: random.Random) -> None:
        balance = rng.randrange(n_bare) + 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE bench_bare_balance SET qty = qty - %s WHERE id = %s AND qty >= %s", [1, balance, 1])
            if cursor.rowcount != 1:
                raise RuntimeError("bare: not enough stock")
            cursor.execute("INSERT INTO bench_bare_move (balance_id, qty) VALUES (%s, %s)", [balance, 1])

    ratios, rates_ours, rates_bare, errors = [], [], [], 0
    for _ in range(ROUNDS):
        moves, failed = _writers(ours, SECONDS)
        rates_ours.append(moves / SECONDS)
        errors += failed
        moves, failed = _writers(bare, SECONDS)
        rates_bare.append(moves / SECONDS)
        errors += failed
        ratios.append(rates_ours[-1] / rates_bare[-1])

    # The invariant: each balance is its receipt less what was issued from it; none negative.
    issued = {
        (row["item_id"], row["from_location_id"]): row["n"]
        for row in Move.objects.filter(kind=MoveKind.ISSUE)
        .values("item_id", "from_location_id")
        .annotate(n=Sum("quantity"))
    }
    violations = sum(
        1
        for b in Balance.objects.all()
        if b.quantity < 0 or b.quantity != STOCK - issued.get((b.item_id, b.location_id), 0)
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_move, bench_bare_balance")
    yield {
        "ratio": round(statistics.median(ratios), 3),
        "detail": {
            "spread": [round(min(ratios), 3), round(max(ratios), 3)],
            "service_moves_per_s": [round(r) for r in rates_ours],
            "bare_moves_per_s": [round(r) for r in rates_bare],
            "writers": WRITERS,
            "hot_balances": len(hot),
            "errors": errors,
            "violations": violations,
            "goal": ">= 0.4 with zero invariant violations",
        },
    }
