"""The API's hand-written SQL: the token lookup every API request pays for.

The ORM spent longer building this query than the database took to answer it
(bench/bench_checkin_api.py), and on PostgreSQL a prepared statement is planned once per
connection (``core.db.hot_cursor``). ``token_candidates_plain`` is the same read with the
ORM: it runs when ``SAMEBOAT_FAST_PATHS=false``, and tests/api/test_fastpath.py holds the
two equal on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from knox.models import get_token_model

from sameboat.core.db import column, fast_paths, hot_cursor, model_from_row, select_columns


def token_candidates(key: str) -> list[tuple[Any, Any]]:
    """(user, token) of every token whose key (its first characters) is ``key``, the
    token's ``user`` set; usually one, several only if two tokens share their key."""
    if not fast_paths():
        return token_candidates_plain(key)
    token_model, user_model = get_token_model(), get_user_model()
    quote = connection.ops.quote_name
    user_columns = len(user_model._meta.concrete_fields)
    sql = (
        f"SELECT {select_columns(user_model, 'u')}, {select_columns(token_model, 't')}"  # noqa: S608 - names from the models
        f" FROM {quote(token_model._meta.db_table)} t"
        f" JOIN {quote(user_model._meta.db_table)} u"
        f" ON u.{column(connection, user_model, 'pk')} = t.{column(connection, token_model, 'user')}"
        f" WHERE t.{column(connection, token_model, 'token_key')} = %s"
    )
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, [key])
        rows = list(iter(cursor.fetchone, None))
    out = []
    for row in rows:
        user = model_from_row(user_model, row[:user_columns], connection)
        token = model_from_row(token_model, row[user_columns:], connection)
        token.user = user
        out.append((user, token))
    return out


def token_candidates_plain(key: str) -> list[tuple[Any, Any]]:
    """``token_candidates`` with the ORM."""
    return [(t.user, t) for t in get_token_model().objects.select_related("user").filter(token_key=key)]
