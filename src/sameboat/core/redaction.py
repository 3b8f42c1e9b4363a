"""Removing personal values past their retention: in small batches, the audit trail included.

The trail is append-only (sameboat.core.db); its guard lets exactly one UPDATE through,
the one ``audit_redact`` makes: the payloads become ``REDACTED`` and ``redacted_at`` is
set, while who did what to which record, and when, stays.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sameboat.core.db import REDACTED_JSON
from sameboat.core.models import AuditEvent

# What a redacted payload holds; the database guard compares against the same JSON.
REDACTED: dict[str, Any] = json.loads(REDACTED_JSON)
# What a redacted free-text field holds (a case reason, a note). Not translated: it is
# stored data, read in many languages; pages show it as it is.
REDACTED_TEXT = "[redacted]"
# Small enough that no batch holds its locks for long (each is its own transaction), large
# enough that a day's worth of a big organisation takes a few hundred round trips.
CHUNK = 1000


def delete_in_chunks(queryset: QuerySet[Any], *, chunk: int | None = None) -> int:
    """Delete the rows of ``queryset`` a batch per transaction; returns how many (top level)."""
    chunk = chunk or CHUNK  # read when called, so a test can make every batch one row
    total = 0
    model = queryset.model
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            return total
        with transaction.atomic():
            _, per_model = model._default_manager.filter(pk__in=ids).delete()
        total += per_model.get(model._meta.label, 0)


def update_in_chunks(queryset: QuerySet[Any], *, chunk: int | None = None, **values: Any) -> int:
    """``queryset.update(**values)`` a batch per transaction. The queryset must exclude the
    rows already updated (``.exclude(text=REDACTED_TEXT)``), or this never ends."""
    chunk = chunk or CHUNK  # read when called (see delete_in_chunks)
    total = 0
    model = queryset.model
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            return total
        with transaction.atomic():
            total += model._default_manager.filter(pk__in=ids).update(**values)


def audit_redact(
    *, events: QuerySet[AuditEvent], now: datetime.datetime | None = None, chunk: int | None = None
) -> int:
    """Replace the before/after payloads of ``events`` with ``REDACTED``; returns how many.

    Events already redacted, or with no payload, are left alone, so running it again
    changes nothing.
    """
    now = now or timezone.now()
    chunk = chunk or CHUNK  # read when called (see delete_in_chunks)
    pending = events.filter(redacted_at__isnull=True).exclude(before__isnull=True, after__isnull=True)
    total = 0
    while True:
        ids = list(pending.order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            return total
        batch = AuditEvent.objects.filter(pk__in=ids)
        # The guard insists that an empty payload stays empty: one statement per shape.
        with transaction.atomic():
            total += batch.filter(before__isnull=False, after__isnull=False).update(
                before=REDACTED, after=REDACTED, redacted_at=now
            )
            total += batch.filter(before__isnull=True, after__isnull=False).update(after=REDACTED, redacted_at=now)
            total += batch.filter(before__isnull=False, after__isnull=True).update(before=REDACTED, redacted_at=now)
