"""The ledger's hot path on PostgreSQL: an issue that one lot can serve.

``bench/bench_ledger_throughput.py`` showed the plain service spending most of a move on
round trips (pass, lock, decrement, move, pass, audit, each a statement) while it holds the
balance's row lock. Here the pass, the FEFO pick with its row lock, the conditional
decrement and the move are one statement of data-modifying CTEs; the audit row follows in
the same transaction. When the first-expiring lot with stock cannot serve the whole
quantity (or was emptied meanwhile) it answers None, and the plain service takes over
(several lots, or the refusal with its message). ``tests/supplies/test_fastpath.py`` holds it
equal to the plain path; ``SAMEBOAT_FAST_PATHS=false`` turns it off.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from sameboat.core.db import column, fast_paths, model_from_row, select_columns
from sameboat.supplies.ledger_guard import SETTING
from sameboat.supplies.models import Balance, Location, Move, MoveKind


def usable() -> bool:
    """Whether the fast path runs here (PostgreSQL, fast paths on)."""
    return connection.vendor == "postgresql" and fast_paths()


def issue_one_lot(
    *, item_id: int, location: Location, quantity: int, actor_id: int | None, reason: str, reference: str
) -> Move | None:
    """Take ``quantity`` from the first-expiring lot with stock and append the issue move, in
    one statement; None (nothing written) when that lot cannot serve it all. Runs inside the
    caller's transaction, which writes the audit row and closes the guard's pass it opened."""
    quote = connection.ops.quote_name
    balance, move = quote(Balance._meta.db_table), quote(Move._meta.db_table)
    b = {f: column(connection, Balance, f) for f in ("item", "location", "quantity", "lot", "expiry")}
    columns = [
        "kind",
        "item",
        "from_location",
        "to_location",
        "quantity",
        "lot",
        "expiry",
        "reason",
        "reference",
        "actor",
        "at",
    ]
    m = ", ".join(column(connection, Move, f) for f in columns)
    sql = f"""
        WITH pass AS MATERIALIZED (SELECT set_config('{SETTING}', 'open', true) AS state),
        pick AS (
            SELECT bal.id FROM {balance} bal, pass
            WHERE pass.state = 'open' AND bal.{b["item"]} = %(item)s AND bal.{b["location"]} = %(location)s
              AND bal.{b["quantity"]} > 0
            ORDER BY bal.{b["expiry"]} IS NULL, bal.{b["expiry"]}, bal.{b["lot"]}, bal.id
            LIMIT 1 FOR UPDATE OF bal
        ),
        taken AS (
            UPDATE {balance} SET {b["quantity"]} = {b["quantity"]} - %(quantity)s
            WHERE id = (SELECT id FROM pick) AND {b["quantity"]} >= %(quantity)s
            RETURNING {b["lot"]} AS lot, {b["expiry"]} AS expiry
        ),
        moved AS (
            INSERT INTO {move} ({m})
            SELECT %(kind)s, %(item)s, %(location)s, NULL, %(quantity)s, taken.lot, taken.expiry, %(reason)s,
                   %(reference)s, %(actor)s, %(at)s
            FROM taken
            RETURNING *
        )
        SELECT {select_columns(Move, "moved")} FROM moved
    """  # noqa: S608 - table and column names from the models, values as parameters
    params: dict[str, Any] = {
        "item": item_id,
        "location": location.pk,
        "quantity": quantity,
        "kind": MoveKind.ISSUE.value,
        "reason": reason,
        "reference": reference,
        "actor": actor_id,
        "at": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return model_from_row(Move, row, connection)  # type: ignore[no-any-return]
