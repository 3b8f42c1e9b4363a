"""Two PostgreSQL roles: an owner that runs migrations and owns every table, and the
application's role with only the privileges the running app needs.

The point is the audit table: its triggers refuse UPDATE and DELETE, but a table's owner
may TRUNCATE it, drop or disable its triggers, or drop it. The application's role owns
nothing, so a bug or an attacker holding its connection cannot rewrite history.
docs/operations.md ("The audit table's owner role") says how to run it.
"""

from __future__ import annotations

import re
from typing import Any

from sameboat.core.db import AUDIT_TABLE

# The app writes ordinary tables freely; on the audit table it appends and reads, and may
# UPDATE only the payload columns, because a trigger lets through the narrow redaction that
# the purge does (it replaces "before"/"after" with a marker and sets redacted_at); who did
# what and when cannot even be named in an UPDATE.
APP_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
APP_AUDIT_PRIVILEGES = 'SELECT, INSERT, UPDATE ("before", "after", redacted_at)'

AUDIT_FUNCTIONS = ("sameboat_audit_append_only()",)
_NAME = re.compile(r"^[a-z_][a-z0-9_$]{0,62}$")


def check_role_name(name: str) -> str:
    """A plain lower-case role name, safe to put in SQL unquoted (else ValueError)."""
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a plain PostgreSQL role name (a-z, 0-9, _).")
    return name


def role_statements(*, owner: str, app: str, database: str, tables: list[str], schema: str = "public") -> list[str]:
    """The SQL that gives every table to ``owner`` and ``app`` only what it needs.

    Idempotent: run it after every migration (new tables get the app's privileges from
    the default privileges anyway; the audit table's narrower grant is restated here).
    """
    owner, app = check_role_name(owner), check_role_name(app)
    db = '"' + database.replace('"', '""') + '"'
    audit = f"{schema}.{AUDIT_TABLE}"
    statements = [
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {app}",
        # The app creates nothing in the schema; the owner creates everything.
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {owner}",
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {app}",
    ]
    statements += [f"ALTER TABLE {schema}.{table} OWNER TO {owner}" for table in tables]
    statements += [f"ALTER FUNCTION {schema}.{fn} OWNER TO {owner}" for fn in AUDIT_FUNCTIONS]
    statements += [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {app}",
        f"GRANT {APP_TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        f"REVOKE ALL ON {audit} FROM {app}",
        f"REVOKE ALL ON {audit} FROM PUBLIC",
        f"GRANT {APP_AUDIT_PRIVILEGES} ON {audit} TO {app}",
        # Tables that later migrations create (run as the owner) are the app's to use.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT {APP_TABLE_PRIVILEGES} ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
    ]
    return statements


def schema_tables(cursor: Any, schema: str = "public") -> list[str]:
    """The ordinary tables in ``schema`` (quoted as needed)."""
    cursor.execute(
        "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
        [schema],
    )
    return [row[0] for row in cursor.fetchall()]


def app_role_problems(cursor: Any, *, owner: str, app: str) -> list[str]:
    """Why the set-up cannot hold: a missing role, or an app role that could get round the
    guard (a superuser, the owner itself or a member of it)."""
    cursor.execute("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname IN (%s, %s)", [owner, app])
    found = {name: (superuser, bypass) for name, superuser, bypass in cursor.fetchall()}
    missing = [f"the role {name} does not exist" for name in (owner, app) if name not in found]
    if missing:
        return missing
    problems = []
    if found[app][0]:
        problems.append(f"{app} is a superuser")
    if found[app][1]:
        problems.append(f"{app} bypasses row security")
    cursor.execute("SELECT pg_has_role(%s, %s, 'USAGE')", [app, owner])
    if cursor.fetchone()[0]:
        problems.append(f"{app} is a member of {owner}, so it has the owner's rights")
    return problems
