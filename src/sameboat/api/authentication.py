"""API authentication: DRF's token scheme with a leaner lookup."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.translation import gettext as drf_gettext
from rest_framework import authentication as drf_authentication
from rest_framework import exceptions as drf_exceptions

from sameboat.core.db import hot_cursor, model_from_row, select_columns


class TokenAuthentication(drf_authentication.TokenAuthentication):
    """DRF's token check, with the token and its user read in one hand-written query.

    Every API request pays for this lookup; the ORM spent longer building the query than
    the database took to answer it (see bench/bench_checkin_api.py). Same answers as DRF's:
    an unknown token and an inactive user are refused with DRF's own messages.
    """

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        user_model = get_user_model()
        sql = (
            f"SELECT {select_columns(user_model, 'u')}, t.created FROM {Token._meta.db_table} t"  # noqa: S608
            f" JOIN {user_model._meta.db_table} u ON u.{user_model._meta.pk.column} = t.user_id WHERE t.key = %s"
        )
        with hot_cursor(connection) as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise drf_exceptions.AuthenticationFailed(drf_gettext("Invalid token."))
        user = model_from_row(user_model, row[:-1], connection)
        if not user.is_active:
            raise drf_exceptions.AuthenticationFailed(drf_gettext("User inactive or deleted."))
        token = Token(key=key, user=user, created=row[-1])
        token._state.adding = False
        return user, token
