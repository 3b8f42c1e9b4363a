"""The audit table's owner role (PostgreSQL): after `sameboat db_roles`, the application's
role can append to the audit trail and use every other table, but cannot truncate the
trail, delete from it, or drop or disable its triggers."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connections

# Committed for real (another connection must see the roles and grants): a transactional
# test, whose tables are emptied afterwards.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roles(transactional_db) -> Iterator[tuple[str, str, str, dict]]:
    """An owner role and an app role of their own (roles are shared by the whole cluster,
    so the names are unique), set up by the command in the test database, then dropped."""
    connection = connections["default"]
    suffix = uuid.uuid4().hex[:10]
    owner, app = f"sb_test_owner_{suffix}", f"sb_test_app_{suffix}"
    password = secrets.token_hex(16)  # hex: safe inside the literal below
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"CREATE ROLE {owner} LOGIN PASSWORD '{password}'")
        except DatabaseError as exc:
            pytest.fail(f"The test database role needs CREATEROLE (as .ci/run gives it): {exc}")
        cursor.execute(f"CREATE ROLE {app} LOGIN PASSWORD '{password}'")
        # Handing a table to the owner needs membership of it (unless a superuser).
        cursor.execute(f"GRANT {owner} TO CURRENT_USER")
    try:
        call_command("db_roles", owner=owner, app=app, verbosity=0)
        yield owner, app, password, dict(connection.settings_dict)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"GRANT {app} TO CURRENT_USER")  # DROP OWNED needs membership
            cursor.execute(f"REASSIGN OWNED BY {owner} TO CURRENT_USER")
            # One role at a time: both at once trips over the default privileges that name both.
            cursor.execute(f"DROP OWNED BY {app}")
            cursor.execute(f"DROP OWNED BY {owner}")
            cursor.execute(f"DROP ROLE {app}")
            cursor.execute(f"DROP ROLE {owner}")


@contextmanager
def connect_as(role: str, password: str, settings: dict) -> Iterator[psycopg.Connection]:
    """A connection to the test database as ``role``, every change rolled back at the end."""
    conn = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=role,
        password=password,
        dbname=settings["NAME"],
        connect_timeout=10,
    )
    try:
        with conn.transaction(force_rollback=True):
            yield conn
    finally:
        conn.close()


def refused(conn: psycopg.Connection, sql: str, params: tuple = ()) -> str:
    """Run ``sql`` in a savepoint; it must be refused for want of privilege: the message."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as info, conn.transaction():
        conn.execute(sql, params)
    return str(info.value)


AUDIT_INSERT = (
    "INSERT INTO core_auditevent (at, actor_repr, action, object_type, object_id, object_repr)"
    " VALUES (now(), 'tester', 'tests.thing.done', '', '', '') RETURNING id"
)


def test_the_app_role_appends_to_the_audit_trail_but_cannot_rewrite_or_unguard_it(roles):
    _owner, app, password, settings = roles
    with connect_as(app, password, settings) as conn:
        event_id = conn.execute(AUDIT_INSERT).fetchone()[0]
        assert conn.execute("SELECT action FROM core_auditevent WHERE id = %s", (event_id,)).fetchone() == (
            "tests.thing.done",
        )
        # Only the payload columns may be named in an UPDATE (for the purge's redaction)...
        assert "permission denied" in refused(
            conn, "UPDATE core_auditevent SET action = 'x' WHERE id = %s", (event_id,)
        )
        # ... and the trigger refuses any UPDATE of them that is not that redaction.
        assert "append-only" in refused(
            conn, """UPDATE core_auditevent SET "after" = '{"x": 1}' WHERE id = %s""", (event_id,)
        )
        assert "permission denied" in refused(conn, "DELETE FROM core_auditevent WHERE id = %s", (event_id,))
        assert "permission denied" in refused(conn, "TRUNCATE core_auditevent")
        assert "must be owner" in refused(conn, "DROP TRIGGER audit_append_only ON core_auditevent")
        assert "must be owner" in refused(conn, "ALTER TABLE core_auditevent DISABLE TRIGGER ALL")
        assert "must be owner" in refused(conn, "ALTER TABLE core_auditevent DISABLE TRIGGER audit_append_only")
        assert "must be owner" in refused(conn, "DROP TABLE core_auditevent")
        # Replacing the guard's function: refused (no CREATE on the schema, not its owner).
        refused(
            conn,
            "CREATE OR REPLACE FUNCTION sameboat_audit_append_only() RETURNS trigger AS $$"
            " BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
        )
        assert "permission denied" in refused(conn, "CREATE TABLE sneaky (id int)")
        assert conn.execute("SELECT count(*) FROM core_auditevent WHERE id = %s", (event_id,)).fetchone() == (1,)


def test_the_app_role_uses_the_ordinary_tables(roles):
    _owner, app, password, settings = roles
    with connect_as(app, password, settings) as conn:
        conn.execute("SELECT count(*) FROM orgs_organization").fetchone()
        region = conn.execute(
            "INSERT INTO orgs_region (code, name_zh, name_en, country, created_at, updated_at)"
            " VALUES ('ZZ-ROLE', '测试', 'Test', 'CN', now(), now()) RETURNING id"
        ).fetchone()[0]
        conn.execute("UPDATE orgs_region SET name_en = 'Changed' WHERE id = %s", (region,))
        conn.execute("DELETE FROM orgs_region WHERE id = %s", (region,))
        # Temporary tables (the check-in upload stages its rows in one) are allowed.
        conn.execute("CREATE TEMP TABLE staging (id int) ON COMMIT DROP")


def test_the_owner_owns_the_audit_table_and_its_guard(roles):
    owner, _app, password, settings = roles
    with connect_as(owner, password, settings) as conn:
        assert conn.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'core_auditevent'").fetchone() == (
            owner,
        )
        # Migrations run as the owner: it may change the table and its triggers.
        conn.execute("ALTER TABLE core_auditevent DISABLE TRIGGER audit_append_only")


def test_an_app_role_that_could_act_as_the_owner_is_refused(roles):
    from django.core.management.base import CommandError

    owner, app, _password, _settings = roles
    with connections["default"].cursor() as cursor:
        cursor.execute(f"GRANT {owner} TO {app}")
    try:
        with pytest.raises(CommandError, match="member"):
            call_command("db_roles", owner=owner, app=app, verbosity=0)
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute(f"REVOKE {owner} FROM {app}")
    with pytest.raises(CommandError, match="two different roles"):
        call_command("db_roles", owner=owner, app=owner, verbosity=0)
