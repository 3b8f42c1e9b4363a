"""The audit trail: services call ``audit(action, obj, changes, actor=...)`` for every state
change they make; each app registers its action codes and their labels."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, models, router
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sameboat.core.models import AuditEvent
from sameboat.core.registry import Registry

StrOrPromise = str | Promise


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


# --- Action codes ----------------------------------------------------------------------------
# Each app registers the codes it records, with a translated label, in its AppConfig.ready()
# (``register_audit_actions``): the audit page names actions in the reader's language, and a
# code nobody registered (a typo, a forgotten registration) fails in tests and under DEBUG
# instead of landing in the trail unnoticed.


@dataclass(frozen=True)
class AuditAction:
    """One registered action code and its label; a key ending in ``.*`` is a family
    (``admin.*``: every code that starts with ``admin.``), whose label may be a function of
    the code."""

    key: str
    label: StrOrPromise | Callable[[str], StrOrPromise]


audit_actions: Registry[AuditAction] = Registry("audit actions")


class UnknownAuditAction(LookupError):
    """An audit event was recorded with a code no app registered."""


def register_audit_actions(labels: Mapping[str, StrOrPromise | Callable[[str], StrOrPromise]]) -> None:
    """Register an app's action codes with their labels (call it in ``AppConfig.ready()``)."""
    for key, label in labels.items():
        audit_actions.register(AuditAction(key, label))


def _registered(code: str) -> AuditAction | None:
    found = audit_actions.get(code)
    if found is not None:
        return found
    parts = code.split(".")
    for length in range(len(parts) - 1, 0, -1):  # the longest family first
        found = audit_actions.get(".".join(parts[:length]) + ".*")
        if found is not None:
            return found
    return None


def audit_action_label(code: str) -> str:
    """The registered, translated label of an action code; a generic one for codes that are
    no longer (or were never) registered, such as those of old events."""
    found = _registered(code)
    if found is None:
        return str(_("Other action"))
    label = found.label(code) if callable(found.label) else found.label
    return str(label)


def _check_action(code: str) -> None:
    # In production the event is kept whatever its code: losing a trail entry over a
    # missing label would be worse than a raw code on the audit page.
    if (settings.DEBUG or getattr(settings, "TESTING", False)) and _registered(code) is None:
        raise UnknownAuditAction(f"audit action {code!r} is not registered (register_audit_actions in AppConfig.ready)")


# --- Recording --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What a state change did: the values before and after (either may be absent)."""

    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None

    @classmethod
    def between(cls, before: dict[str, Any], after: dict[str, Any]) -> Changes:
        """Only the keys whose values differ (``changed``); empty when nothing changed."""
        old, new = changed(before, after)
        return cls(before=old, after=new)

    def __bool__(self) -> bool:
        return bool(self.before) or bool(self.after)


def audit(
    action: str,
    obj: models.Model | None = None,
    changes: Changes | None = None,
    *,
    actor: Any,
    if_changed: bool = False,
    **where: Any,
) -> AuditEvent | None:
    """Append one event to the trail (inside the service's transaction): the action code,
    the record it was done to, and what changed.

    The organisation defaults to the record's own (``organization_id``, no query) and its
    name in the trail to ``audit_repr`` where the model has one (the person of a health
    record), else ``str(obj)``; ``where`` may name them (``organization``, ``object_repr``), as
    for ``audit_event``. ``if_changed`` records nothing, and returns None, when ``changes`` is
    empty (an update that changed no field).
    """
    if if_changed and not changes:
        return None
    event = audit_event(action, obj, changes, actor=actor, **where)
    event.save(force_insert=True)
    return event


def audit_event(
    action: str,
    obj: models.Model | None = None,
    changes: Changes | None = None,
    *,
    actor: Any,
    organization: Any = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """The event ``audit`` appends, not yet saved: for a writer that inserts it in the same
    statement as the change it records."""
    _check_action(action)
    changes = changes or Changes()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=actor_obj,
        actor_repr=(actor_obj.get_username() if actor_obj else "system")[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr if object_repr is not None else _repr_of(obj))[:300],
        before=_plain(changes.before) if changes.before is not None else None,
        after=_plain(changes.after) if changes.after is not None else None,
    )
    if organization is not None:
        event.organization = organization
    elif obj is not None:
        event.organization_id = _organization_id_of(obj)
    return event


def audit_record(
    *, actor: Any, action: str, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None, **where: Any
) -> AuditEvent:
    """``audit`` in keyword form (``obj``, ``organization``, ``object_repr`` as there), for
    code written before it and for tests."""
    event = audit_event(action, changes=Changes(before=before, after=after), actor=actor, **where)
    event.save(force_insert=True)
    return event


def _repr_of(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    return str(getattr(obj, "audit_repr", None) or obj)


def _organization_id_of(obj: models.Model) -> Any:
    # Every organisation-owned model reaches an Organization: itself, or .organization. The
    # id is enough for the event, and reading it costs no query.
    if obj._meta.label_lower == "orgs.organization":
        return obj.pk
    if hasattr(obj, "organization_id"):
        return obj.organization_id
    # A record that reaches its organisation through another (a leadership seat, through
    # its group) names it with a property.
    return getattr(getattr(obj, "organization", None), "pk", None)


def audit_bulk(
    *, actor: Any, action: str, objects: Iterable[models.Model], after: Any = None, before: Any = None
) -> int:
    """One event per object in a single insert, for bulk writers (uploads, the demo);
    ``before``/``after`` are values or functions of the object."""
    _check_action(action)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    events = [
        AuditEvent(
            actor=actor_obj,
            actor_repr=(actor_obj.get_username() if actor_obj else "system")[:200],
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=_repr_of(obj)[:300],
            organization_id=_organization_id_of(obj),
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
    from sameboat.core.db import bulk_insert

    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    bulk_insert(AuditEvent, [f.name for f in fields], ([f.pre_save(e, True) for f in fields] for e in events))
