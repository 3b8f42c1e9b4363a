"""Idempotency keys: a client that retries a request gets the first answer back.

The work stores the key, with its answer, in the same transaction as its own writes (the
check-in service even in the same statement): ``run_once`` hands it a ``Receipt`` to
store. A request whose key is already stored (a retry, or a concurrent twin that committed
first) finds the conflict at that insert, its own writes roll back with it, and it answers
with what is stored. A concurrent twin blocks on the unique index until the first one
commits, so the answer it replays is a committed one; if the first one fails, its key rolls
back with it and the retry does the work. The work never sees a retry as an error: when it
fails, a stored answer wins.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.core.db import insert_unless_conflict
from sameboat.core.exceptions import DomainError
from sameboat.health.models import IdempotencyKey

MAX_KEY_LENGTH = 100


class AlreadyAnswered(Exception):
    """The key is already stored: raised inside the work's transaction to roll it back."""


@dataclass
class Receipt:
    """A request's key, for the work to store with its answer alongside its own writes.

    ``respond(result, created)`` turns what the work made into the (status, body) answer.
    """

    user_id: int
    key: str
    digest: str
    respond: Callable[[Any, bool], tuple[int, dict[str, Any]]]
    answer: tuple[int, dict[str, Any]] | None = None

    def record(self, result: Any, created: bool) -> IdempotencyKey:
        """The key row with the answer to ``result`` (not saved): for a writer that inserts
        it in its own statement, where a duplicate key fails the whole statement."""
        status, body = self.respond(result, created)
        self.answer = (status, body)
        return IdempotencyKey(
            key=self.key,
            user_id=self.user_id,
            request_hash=self.digest,
            status_code=status,
            response=body,
            created_at=timezone.now(),
        )

    def store(self, result: Any, created: bool) -> None:
        """Insert the key row inside the work's transaction; AlreadyAnswered if it exists."""
        if not insert_unless_conflict(self.record(result, created), ["user", "key"]):
            self.answer = None
            raise AlreadyAnswered


def fingerprint(body: Any) -> str:
    """A stable hash of a request body."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def run_once(
    *,
    user: Any,
    key: str,
    body: Any,
    respond: Callable[[Any, bool], tuple[int, dict[str, Any]]],
    perform: Callable[[Receipt], Any],
) -> tuple[int, dict[str, Any], bool]:
    """Run ``perform`` once per (user, key); returns (status, response, replayed).

    ``perform`` must store the receipt it is given in the transaction of its writes
    (``Receipt.store``, or ``Receipt.record`` in the same statement).
    """
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise DomainError(
            _("The Idempotency-Key header must have 1 to 100 characters."),
            field="Idempotency-Key",
            code="invalid_idempotency_key",
        )
    digest = fingerprint(body)
    receipt = Receipt(user_id=user.pk, key=key, digest=digest, respond=respond)
    try:
        perform(receipt)
    except AlreadyAnswered:
        pass
    except DomainError:
        # A retry may fail where the first attempt succeeded (the day's filing window has
        # closed, a quarantine has started since): the first answer is still the answer.
        if not IdempotencyKey.objects.filter(user=user, key=key).exists():
            raise
    else:
        if receipt.answer is None:
            raise RuntimeError("run_once: the work did not store its receipt")
        return *receipt.answer, False
    record = IdempotencyKey.objects.get(user=user, key=key)
    if record.request_hash != digest:
        raise DomainError(
            _("This Idempotency-Key was already used for a different request."),
            field="Idempotency-Key",
            code="idempotency_key_reused",
        )
    return record.status_code, record.response, True
