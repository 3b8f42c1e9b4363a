"""Database-level guards that our own code could not bypass even by mistake."""

from __future__ import annotations

from typing import Any

AUDIT_TABLE = "core_auditevent"

_SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {AUDIT_TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {AUDIT_TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
_SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

_PG_CREATE = [
    """CREATE OR REPLACE FUNCTION sameboat_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only' USING ERRCODE = 'insufficient_privilege';
       END; $$ LANGUAGE plpgsql""",
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


def install_audit_guard(connection: Any) -> None:
    """Make the audit table refuse UPDATE and DELETE (SQLite and PostgreSQL)."""
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_CREATE)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_CREATE)


def remove_audit_guard(connection: Any) -> None:
    """Lift the guard: only for `sameboat demo --reset` and test-database teardown."""
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_DROP)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_DROP)
