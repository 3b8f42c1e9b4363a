"""Idempotency keys: a client that retries a request gets the first answer back.

The key row is inserted before the work in the same transaction. A concurrent request with
the same key blocks on the unique index until the first one commits, then finds the stored
answer; if the first one fails, its key row rolls back with it and the retry does the work.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.core.exceptions import DomainError
from sameboat.health.models import IdempotencyKey

MAX_KEY_LENGTH = 100


def fingerprint(body: Any) -> str:
    """A stable hash of a request body."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def run_once(
    *,
    user: Any,
    key: str,
    body: Any,
    perform: Callable[[], tuple[int, dict[str, Any]]],
) -> tuple[int, dict[str, Any], bool]:
    """Run ``perform`` once per (user, key); returns (status, response, replayed)."""
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise DomainError(
            _("The Idempotency-Key header must have 1 to 100 characters."),
            field="Idempotency-Key",
            code="invalid_idempotency_key",
        )
    digest = fingerprint(body)
    table = IdempotencyKey._meta.db_table
    with transaction.atomic():
        # ON CONFLICT DO NOTHING instead of a savepoint around an INSERT: one round trip,
        # and a concurrent holder of the key makes us wait here until it commits.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, user_id, request_hash, status_code, response, created_at)"  # noqa: S608
                " VALUES (%s, %s, %s, 0, %s, %s) ON CONFLICT (user_id, key) DO NOTHING RETURNING id",
                [key, user.pk, digest, "{}", timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            record = IdempotencyKey.objects.get(user=user, key=key)
            if record.request_hash != digest:
                raise DomainError(
                    _("This Idempotency-Key was already used for a different request."),
                    field="Idempotency-Key",
                    code="idempotency_key_reused",
                )
            return record.status_code, record.response, True
        status, response = perform()
        IdempotencyKey.objects.filter(pk=row[0]).update(status_code=status, response=response)
        return status, response, False
