"""Idempotency keys: a client that retries a write gets the first answer back.

Any write endpoint opts in with the ``idempotent`` decorator on its viewset action; the
client sends an ``Idempotency-Key`` header (the schema documents it on those operations).

The work stores the key, with its answer, in the same transaction as its own writes:
``run_once`` hands it a ``Receipt`` to store. An ordinary action is run inside a
transaction that stores its answer last (and a retry is answered from the stored key
before the action runs again); a service on a hot path stores the receipt itself (the
check-in service even in the same statement as the check-in). A request whose key is
already stored (a retry, or a concurrent twin that committed first) finds the conflict at
that insert, its own writes roll back with it, and it answers with what is stored. A
concurrent twin blocks on the unique index until the first one commits, so the answer it
replays is a committed one; if the first one fails, its key rolls back with it and the
retry does the work. The work never sees a retry as an error: when it fails, a stored
answer wins.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat.api.models import IdempotencyKey
from sameboat.core import redaction
from sameboat.core.db import insert_unless_conflict
from sameboat.core.exceptions import DomainError

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100
# A key only matters while a client may still retry; a day is plenty.
KEEP = datetime.timedelta(days=2)

# What a piece of work made, and whether it created it: (result, created).
Outcome = tuple[Any, bool]
# Its answer: (HTTP status, JSON body).
Answer = tuple[int, Any]


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
    respond: Callable[[Any, bool], Answer]
    answer: Answer | None = None

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
    respond: Callable[[Any, bool], Answer],
    perform: Callable[[Receipt], Any],
    look_first: bool = False,
) -> tuple[int, Any, bool]:
    """Run ``perform`` once per (user, key); returns (status, response, replayed).

    ``perform`` must store the receipt it is given in the transaction of its writes
    (``Receipt.store``, or ``Receipt.record`` in the same statement). ``look_first`` answers
    a retry from the stored key before running the work again: one more query, for work
    that cannot be trusted to fail cleanly (with a DomainError, or at the key's insert) when
    it runs twice.
    """
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise DomainError(
            _("The Idempotency-Key header must have 1 to 100 characters."),
            field=HEADER,
            code="invalid_idempotency_key",
        )
    digest = fingerprint(body)
    if look_first:
        stored = IdempotencyKey.objects.filter(user=user, key=key).first()
        if stored is not None:
            return _replay(stored, digest)
    receipt = Receipt(user_id=user.pk, key=key, digest=digest, respond=respond)
    try:
        perform(receipt)
    except AlreadyAnswered:
        pass
    except (DomainError, IntegrityError):
        # A retry may fail where the first attempt succeeded (the day's filing window has
        # closed, a quarantine has started since, a concurrent twin took the record): the
        # first answer is still the answer.
        if not IdempotencyKey.objects.filter(user=user, key=key).exists():
            raise
    else:
        if receipt.answer is None:
            raise RuntimeError("run_once: the work did not store its receipt")
        return *receipt.answer, False
    return _replay(IdempotencyKey.objects.get(user=user, key=key), digest)


def _replay(record: IdempotencyKey, digest: str) -> tuple[int, Any, bool]:
    if record.request_hash != digest:
        raise DomainError(
            _("This Idempotency-Key was already used for a different request."),
            field=HEADER,
            code="idempotency_key_reused",
        )
    return record.status_code, record.response, True


def answer_once(
    request: Request,
    *,
    perform: Callable[[Receipt | None], Outcome],
    respond: Callable[[Any, bool], Answer],
    look_first: bool = False,
) -> Response:
    """The answer to a write that stores its own receipt: ``perform(receipt)`` does the work
    (storing the receipt, when there is one, with its writes) and returns (result, created);
    ``respond`` turns that into (status, body). Without the header nothing is stored."""
    key = request.headers.get(HEADER)
    if key is None:
        status, body = respond(*perform(None))
        return Response(body, status=status)
    # The fingerprint is of what the client sent, so a retry of the same body matches.
    status, body, replayed = run_once(
        user=request.user, key=key, body=request.data, respond=respond, perform=perform, look_first=look_first
    )
    response = Response(body, status=status)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


class _NotKept(Exception):
    """An action answered with an error: its writes roll back and its key is not stored."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response


def _response_answer(response: Response, created: bool) -> Answer:
    return response.status_code, response.data


def idempotent(
    action: Callable[..., Any] | None = None, *, respond: Callable[[Any, bool], Answer] | None = None
) -> Any:
    """Let a viewset's write action take an Idempotency-Key (the schema documents it).

    Plain ``@idempotent``: a stored answer is replayed without running the action again;
    otherwise the action runs in one transaction that ends by storing its answer, and an
    error answer or exception rolls it back and keeps no key.

    ``@idempotent(respond=...)``: for a service that stores the key with its own writes
    (a hot path that avoids the extra transaction). The action takes a ``receipt``
    keyword (None without the header), hands it to the service and returns (result,
    created); ``respond`` turns that into (status, body).
    """

    def decorate(method: Callable[..., Any]) -> Callable[..., Response]:
        if respond is not None:

            @functools.wraps(method)
            def by_service(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
                return answer_once(
                    request,
                    perform=lambda receipt: method(view, request, *args, receipt=receipt, **kwargs),
                    respond=respond,
                )

            by_service.idempotent = True  # type: ignore[attr-defined]
            return by_service

        @functools.wraps(method)
        def in_transaction(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            if request.headers.get(HEADER) is None:
                return method(view, request, *args, **kwargs)  # type: ignore[no-any-return]

            def perform(receipt: Receipt | None) -> Outcome:
                with transaction.atomic():
                    response = method(view, request, *args, **kwargs)
                    if response.status_code >= 400:
                        raise _NotKept(response)
                    if receipt is not None:
                        receipt.store(response, True)
                return response, True

            try:
                # Any action may run here, so a retry is answered before it runs again.
                return answer_once(request, perform=perform, respond=_response_answer, look_first=True)
            except _NotKept as refused:
                return refused.response

        in_transaction.idempotent = True  # type: ignore[attr-defined]
        return in_transaction

    return decorate(action) if action is not None else decorate


def is_idempotent(view: Any) -> bool:
    """Whether the view's current action takes an Idempotency-Key."""
    action = getattr(view, "action", None) or ""
    return bool(getattr(getattr(view, action, None), "idempotent", False))


def idempotency_keys_purge(*, before: datetime.datetime) -> int:
    """Delete the keys stored before ``before``; returns how many.

    Keys hold the answers they replay (a check-in's values, a roster entry), so a purge
    removes them once no client can still be retrying (``KEEP``).
    """
    return redaction.delete_in_chunks(IdempotencyKey.objects.filter(created_at__lt=before))
