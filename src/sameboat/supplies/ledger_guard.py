"""The stock ledger's database guard: hand-written SQL, like ``core.db``'s audit guard.

Moves may only be inserted, and only by the ledger service; balances may be inserted and
have their quantity changed only by the ledger service; neither is ever deleted. "Only by
the service" is a per-transaction pass the service opens around its writes and closes
after them:

- PostgreSQL: ``set_config('sameboat.ledger', 'open', true)`` (local to the transaction, and
  undone with a savepoint that rolls back);
- SQLite (no session settings): a row in ``supplies_ledgerpass``, inserted and deleted in the
  service's transaction. SQLite has one writer at a time, and no other connection sees an
  uncommitted row, so the pass is never visible outside the transaction that holds it.

This guards against edits that bypass the services (a shell, the admin, a stray
``update()``), not against someone who runs SQL to open the pass on purpose.
"""

from __future__ import annotations

from typing import Any

MOVE_TABLE = "supplies_move"
BALANCE_TABLE = "supplies_balance"
PASS_TABLE = "supplies_ledgerpass"  # noqa: S105 - a table name
SETTING = "sameboat.ledger"

_MESSAGE = "the stock ledger changes only through the supplies services"
# A balance's identity never changes, only its quantity.
_BALANCE_FIXED = ("id", "item_id", "location_id", "lot", "expiry")

_SQLITE_OPEN = f"EXISTS (SELECT 1 FROM {PASS_TABLE})"  # noqa: S608 - a constant
_SQLITE_CREATE = [
    f"""CREATE TRIGGER supplies_move_insert BEFORE INSERT ON {MOVE_TABLE}
        WHEN NOT {_SQLITE_OPEN} BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END""",
    f"""CREATE TRIGGER supplies_move_update BEFORE UPDATE ON {MOVE_TABLE}
        BEGIN SELECT RAISE(ABORT, 'stock moves are append-only'); END""",
    f"""CREATE TRIGGER supplies_move_delete BEFORE DELETE ON {MOVE_TABLE}
        BEGIN SELECT RAISE(ABORT, 'stock moves are append-only'); END""",
    f"""CREATE TRIGGER supplies_balance_insert BEFORE INSERT ON {BALANCE_TABLE}
        WHEN NOT {_SQLITE_OPEN} BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END""",
    f"""CREATE TRIGGER supplies_balance_update BEFORE UPDATE ON {BALANCE_TABLE}
        WHEN NOT ({_SQLITE_OPEN} AND {" AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in _BALANCE_FIXED)})
        BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END""",
    f"""CREATE TRIGGER supplies_balance_delete BEFORE DELETE ON {BALANCE_TABLE}
        BEGIN SELECT RAISE(ABORT, 'stock balances are never deleted'); END""",
]
_SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS supplies_{t}_{op}" for t in ("move", "balance") for op in ("insert", "update", "delete")
]

_PG_OPEN = f"COALESCE(current_setting('{SETTING}', true), '') = 'open'"
_PG_CREATE = [
    f"""CREATE OR REPLACE FUNCTION supplies_move_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'INSERT' AND {_PG_OPEN} THEN RETURN NEW; END IF;
         RAISE EXCEPTION 'stock moves are append-only and written by the supplies services (%)', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END; $$ LANGUAGE plpgsql""",
    # The whole row but the quantity must stay as it was, so a column added later is covered.
    f"""CREATE OR REPLACE FUNCTION supplies_balance_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'INSERT' AND {_PG_OPEN} THEN RETURN NEW; END IF;
         IF TG_OP = 'UPDATE' AND {_PG_OPEN}
            AND (to_jsonb(NEW) - 'quantity') = (to_jsonb(OLD) - 'quantity') THEN RETURN NEW; END IF;
         RAISE EXCEPTION 'stock balances change only through the supplies services (%)', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END; $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS supplies_move_guard ON {MOVE_TABLE}",
    f"""CREATE TRIGGER supplies_move_guard BEFORE INSERT OR UPDATE OR DELETE ON {MOVE_TABLE}
        FOR EACH ROW EXECUTE FUNCTION supplies_move_guard()""",
    f"DROP TRIGGER IF EXISTS supplies_balance_guard ON {BALANCE_TABLE}",
    f"""CREATE TRIGGER supplies_balance_guard BEFORE INSERT OR UPDATE OR DELETE ON {BALANCE_TABLE}
        FOR EACH ROW EXECUTE FUNCTION supplies_balance_guard()""",
]
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS supplies_move_guard ON {MOVE_TABLE}",
    f"DROP TRIGGER IF EXISTS supplies_balance_guard ON {BALANCE_TABLE}",
    "DROP FUNCTION IF EXISTS supplies_move_guard()",
    "DROP FUNCTION IF EXISTS supplies_balance_guard()",
]


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install_ledger_guard(connection: Any) -> None:
    """Make moves append-only and balances service-only (SQLite and PostgreSQL)."""
    if connection.vendor == "sqlite":
        _run(connection, [*_SQLITE_DROP, *_SQLITE_CREATE])
    elif connection.vendor == "postgresql":
        _run(connection, _PG_CREATE)


def remove_ledger_guard(connection: Any) -> None:
    """Lift the guard: only for `sameboat demo --reset` and for the migration's reversal."""
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_DROP)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_DROP)


def ledger_open(connection: Any) -> None:
    """Open the pass for the rest of the current transaction (call inside ``atomic``)."""
    if connection.vendor == "postgresql":
        _run_one(connection, f"SELECT set_config('{SETTING}', 'open', true)")
    else:
        _run_one(connection, f"INSERT INTO {PASS_TABLE} (id) VALUES (1)")  # noqa: S608 - a constant


def ledger_close(connection: Any) -> None:
    """Close it again, so the rest of an enclosing transaction cannot write the ledger."""
    if connection.vendor == "postgresql":
        _run_one(connection, f"SELECT set_config('{SETTING}', '', true)")
    else:
        _run_one(connection, f"DELETE FROM {PASS_TABLE}")  # noqa: S608 - a constant


def _run_one(connection: Any, sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
