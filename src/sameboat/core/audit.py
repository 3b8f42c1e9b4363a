"""The audit trail: services call ``audit_record`` for every state change they make."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connections, models, router

from sameboat.core.models import AuditEvent


def _plain(value: Any) -> Any:
    """JSON-ready data for the trail: whatever an admin form or a service hands over
    (a many-to-many queryset, a set, a lazy translation) must never make a save fail."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | models.Manager):
        # Many-to-many values (a user's groups): the ids, sorted, so before/after compare.
        return _sorted_plain(value.all())
    if isinstance(value, set | frozenset):
        return _sorted_plain(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, models.Model) for v in value):
            return _sorted_plain(value)  # a form's initial many-to-many value
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "code") and hasattr(value, "name") and type(value).__name__ == "Country":
        return value.code
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # lazy strings, files, anything else: its text, never an error


def _sorted_plain(values: Iterable[Any]) -> list[Any]:
    items = [_plain(v) for v in values]
    try:
        return sorted(items)
    except TypeError:  # mixed kinds: any fixed order will do
        return sorted(items, key=repr)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The record's concrete field values as plain JSON-ready data (FKs as ids)."""
    names = (
        list(fields)
        if fields is not None
        else [f.attname for f in obj._meta.concrete_fields if f.attname != "password"]
    )
    return {name: _plain(getattr(obj, name)) for name in names}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so the trail shows what really changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    organization: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one event to the trail (call it inside the service's transaction)."""
    event = audit_event(
        actor=actor,
        action=action,
        obj=obj,
        organization=organization,
        before=before,
        after=after,
        object_repr=object_repr,
    )
    event.save(force_insert=True)
    return event


def audit_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    organization: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """The event ``audit_record`` appends, not yet saved: for a writer that inserts it in
    the same statement as the change it records."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    if organization is None and obj is not None:
        organization = _organization_of(obj)
    return AuditEvent(
        actor=actor_obj,
        actor_repr=(actor_obj.get_username() if actor_obj else "system")[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj) if obj else "")[:300],
        organization=organization,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )


def _organization_of(obj: models.Model) -> Any:
    # Every organisation-owned model reaches an Organization: itself, or .organization.
    if obj._meta.label_lower == "orgs.organization":
        return obj
    return getattr(obj, "organization", None)


def audit_bulk(
    *, actor: Any, action: str, objects: Iterable[models.Model], after: Any = None, before: Any = None
) -> int:
    """One event per object in a single insert, for bulk writers (uploads, the demo);
    ``before``/``after`` are values or functions of the object."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    events = [
        AuditEvent(
            actor=actor_obj,
            actor_repr=(actor_obj.get_username() if actor_obj else "system")[:200],
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            # The id, not the object: reading obj.organization would cost a query per row.
            organization_id=obj.pk
            if obj._meta.label_lower == "orgs.organization"
            else getattr(obj, "organization_id", None),
            before=_plain(before(obj) if callable(before) else before),
            after=_plain(after(obj) if callable(after) else after),
        )
        for obj in objects
    ]
    _insert_events(events)
    return len(events)


def _insert_events(events: list[AuditEvent]) -> None:
    # PostgreSQL takes many events by COPY: bulk_create's statement building and
    # parameter quoting cost more than the rows themselves (a 20k-row roster import spent
    # longer writing its per-person events than its people). COPY needs only INSERT.
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor != "postgresql" or len(events) < 100:
        AuditEvent.objects.bulk_create(events, batch_size=2000)
        return
    from sameboat.core.db import insert_parts

    columns = insert_parts(events[0], connection)[0]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for event in events:
            copy.write_row(insert_parts(event, connection)[1])
