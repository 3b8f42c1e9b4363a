"""Database-level guards that our own code could not bypass even by mistake."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

AUDIT_TABLE = "core_auditevent"

# The one UPDATE the guard lets through is a redaction (sameboat.core.redaction): it sets
# redacted_at on a row that had none and replaces each non-empty payload (before, after)
# with REDACTED_JSON (an empty one stays empty), leaving every other column as it was:
# who did what when stays.
# DELETE is always refused. Anything else raises, whoever runs it.
REDACTED_JSON = '{"redacted": true}'
# Every column but the two payloads and redacted_at (SQLite has no row-to-JSON to compare
# whole rows; a column added to AuditEvent must be added here and the guard reinstalled).
_SQLITE_FIXED_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_repr",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "organization_id",
)
# NULL-safe throughout (IS, COALESCE): a comparison that came out NULL would otherwise make
# WHEN false and let the UPDATE through.
_SQLITE_REDACTION = " AND ".join(
    [
        "OLD.redacted_at IS NULL",
        "NEW.redacted_at IS NOT NULL",
        *(f'NEW."{c}" IS OLD."{c}"' for c in _SQLITE_FIXED_COLUMNS),
        *(
            f"""((OLD."{c}" IS NULL AND NEW."{c}" IS NULL) OR (OLD."{c}" IS NOT NULL"""
            f""" AND json_valid(NEW."{c}") AND json(NEW."{c}") IS json('{REDACTED_JSON}')))"""
            for c in ("before", "after")
        ),
    ]
)

_SQLITE_STRICT_UPDATE = f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON {AUDIT_TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"""
_SQLITE_REDACTING_UPDATE = f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON {AUDIT_TABLE}
        WHEN NOT COALESCE(({_SQLITE_REDACTION}), 0)
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"""
_SQLITE_DELETE = f"""CREATE TRIGGER audit_no_delete BEFORE DELETE ON {AUDIT_TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"""
_SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

_PG_STRICT_FUNCTION = """CREATE OR REPLACE FUNCTION sameboat_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only' USING ERRCODE = 'insufficient_privilege';
       END; $$ LANGUAGE plpgsql"""
# The whole row minus the payloads and redacted_at must be unchanged, so a column added
# later is protected without touching this function. A NULL condition counts as false.
_PG_REDACTING_FUNCTION = f"""CREATE OR REPLACE FUNCTION sameboat_audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE'
            AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
            AND (to_jsonb(NEW) - 'before' - 'after' - 'redacted_at')
                = (to_jsonb(OLD) - 'before' - 'after' - 'redacted_at')
            AND ((OLD.before IS NULL AND NEW.before IS NULL)
                 OR (OLD.before IS NOT NULL AND NEW.before = '{REDACTED_JSON}'::jsonb))
            AND ((OLD.after IS NULL AND NEW.after IS NULL)
                 OR (OLD.after IS NOT NULL AND NEW.after = '{REDACTED_JSON}'::jsonb))
         THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit log is append-only' USING ERRCODE = 'insufficient_privilege';
       END; $$ LANGUAGE plpgsql"""
_PG_TRIGGER = [
    f"""DROP TRIGGER IF EXISTS audit_append_only ON {AUDIT_TABLE}""",
    f"""CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {AUDIT_TABLE}
        FOR EACH ROW EXECUTE FUNCTION sameboat_audit_append_only()""",
]
_PG_DROP = [
    f"DROP TRIGGER IF EXISTS audit_append_only ON {AUDIT_TABLE}",
    "DROP FUNCTION IF EXISTS sameboat_audit_append_only()",
]


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install_audit_guard(connection: Any, *, redaction: bool = True) -> None:
    """Make the audit table refuse DELETE and every UPDATE but a redaction (SQLite and
    PostgreSQL); ``redaction=False`` is the strict guard of migration 0002, from before
    the table had ``redacted_at``."""
    if connection.vendor == "sqlite":
        update = _SQLITE_REDACTING_UPDATE if redaction else _SQLITE_STRICT_UPDATE
        _run(connection, [*_SQLITE_DROP, update, _SQLITE_DELETE])
    elif connection.vendor == "postgresql":
        _run(connection, [_PG_REDACTING_FUNCTION if redaction else _PG_STRICT_FUNCTION, *_PG_TRIGGER])


def remove_audit_guard(connection: Any) -> None:
    """Lift the guard: only for `sameboat demo --reset` and test-database teardown."""
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_DROP)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_DROP)


def insert_unless_conflict(obj: Any, conflict_fields: list[str]) -> bool:
    """INSERT ``obj`` unless a row with the same ``conflict_fields`` exists; sets its pk.

    One statement (``INSERT … ON CONFLICT (…) DO NOTHING RETURNING id``, which PostgreSQL
    and SQLite 3.35+ both speak) in place of a savepoint around ``save()`` that must be
    rolled back on the unique violation: a hot path's first write costs one round trip,
    and no aborted savepoint. Returns False, leaving ``obj.pk`` unset, on a conflict.
    """
    from django.db import connections, router

    connection = connections[router.db_for_write(type(obj))]
    meta = obj._meta
    quote = connection.ops.quote_name
    columns, values = insert_parts(obj, connection)
    conflict = ", ".join(quote(meta.get_field(name).column) for name in conflict_fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        f" ON CONFLICT ({conflict}) DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return True


def insert_parts(obj: Any, connection: Any) -> tuple[list[str], list[Any]]:
    """The quoted columns and database-ready values of an INSERT of ``obj`` (its pk left to
    the database unless set), after the fields' ``pre_save`` (auto_now stamps) as
    ``save()`` runs it."""
    quote = connection.ops.quote_name
    fields = [f for f in obj._meta.concrete_fields if not (f.primary_key and obj.pk is None)]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    return [quote(f.column) for f in fields], values


def select_columns(model: Any, alias: str) -> str:
    """``alias.col1, alias.col2, …`` for every concrete field, in ``model_from_row``'s order."""
    return ", ".join(f"{alias}.{f.column}" for f in model._meta.concrete_fields)


def model_from_row(model: Any, values: Any, connection: Any) -> Any:
    """A model instance from a hand-written query's columns (``select_columns`` order),
    converted as the ORM's own fetch would (dates on SQLite, JSON, countries…)."""
    names, converters = _converters(model, connection.vendor)
    converted = list(values)
    for i, field, funcs in converters:
        value = converted[i]
        for func in funcs:
            value = func(value, field.cached_col, connection)
        converted[i] = value
    return model.from_db(connection.alias, names, converted)


@cache
def _converters(model: Any, vendor: str) -> tuple[list[str], list[tuple[int, Any, list[Any]]]]:
    from django.db import connections

    connection = next(c for c in connections.all(initialized_only=False) if c.vendor == vendor)
    fields = list(model._meta.concrete_fields)
    out = []
    for i, field in enumerate(fields):
        col = field.cached_col
        funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if funcs:
            out.append((i, field, funcs))
    return [f.attname for f in fields], out


class _PreparingCursor:
    """A psycopg cursor with server-side binding whose statements are prepared."""

    def __init__(self, cursor: Any, connection: Any) -> None:
        self._cursor = cursor
        self._connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with self._connection.wrap_database_errors:
            self._cursor.execute(sql, params, prepare=True)

    def fetchone(self) -> Any:
        with self._connection.wrap_database_errors:
            return self._cursor.fetchone()

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


@contextmanager
def hot_cursor(connection: Any) -> Iterator[Any]:
    """A cursor for the few statements every busy request runs (token, check-in).

    On PostgreSQL its statements are prepared: planned once per connection instead of on
    every request. Planning the check-in's statements cost the database more than running
    them (bench/bench_checkin_api.py). Django's own cursors bind parameters on the client
    and never prepare, so this one is a plain psycopg cursor on Django's connection: same
    transaction, same adapters, errors wrapped as Django's. Only ``execute``, ``fetchone``
    and ``rowcount``, with ``%s`` placeholders. Elsewhere (SQLite, prepared statements
    turned off with DB_PREPARED_STATEMENTS=false for an old transaction pooler, or queries
    being logged) it is Django's cursor.
    """
    if (
        connection.vendor != "postgresql"
        or connection.settings_dict["OPTIONS"].get("prepare_threshold") is None
        # Someone is watching the queries (DEBUG, a test counting them): let them see these.
        or connection.queries_logged
    ):
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with psycopg.Cursor(connection.connection) as cursor:
        yield _PreparingCursor(cursor, connection)


# How long the health probe waits for the write lock: a load balancer's probe must answer
# before its own timeout, and a lock held this long already means "not ready".
PROBE_WAIT_MS = 2000


def database_write_probe(using: str = "default") -> None:
    """Rewrite the health-probe row in a short transaction; raises when no write gets through.

    A SELECT answers while another process holds SQLite's write lock, or while PostgreSQL is
    a read-only standby or out of disk: only a committed write proves the database serves.
    """
    from django.db import connections, transaction
    from django.utils import timezone

    from sameboat.core.models import HealthProbe

    connection = connections[using]
    table = connection.ops.quote_name(HealthProbe._meta.db_table)
    # The table name is the model's own, quoted; the value is a parameter.
    upsert = f"INSERT INTO {table} (id, checked_at) VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at"  # noqa: S608, E501
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    if connection.vendor != "sqlite":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {PROBE_WAIT_MS}")
            cursor.execute(f"SET LOCAL statement_timeout = {2 * PROBE_WAIT_MS}")
            cursor.execute(upsert, [now])
        return
    # SQLite: the transaction begins IMMEDIATE (settings), so entering it takes the write
    # lock, waiting at most the probe's own busy timeout.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        usual = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA busy_timeout = {PROBE_WAIT_MS}")
    try:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(upsert, [now])
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {usual}")
