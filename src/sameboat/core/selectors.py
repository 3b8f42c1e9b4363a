"""Reads of the cross-cutting records: the inbox, the audit trail and recent jobs."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from sameboat.accounts.roles import AUDIT_ROLES
from sameboat.accounts.scoping import scope
from sameboat.core.models import AuditEvent, Job, Notification
from sameboat.core.notify import render


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The person's own inbox, newest first (nobody reads another person's inbox)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_unread_count(*, user: Any) -> int:
    """How many of the person's notifications are still unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class RenderedNotification:
    """A notification with its text in the active language."""

    notification: Notification
    title: str
    body: str

    @property
    def pk(self) -> int:
        return self.notification.pk

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def notifications_rendered(notifications: Iterable[Notification], *, reader: Any = None) -> list[RenderedNotification]:
    """Each notification's title and body in the active language, as its reader may see it.

    The reader is the recipient (nobody reads another person's inbox); pass them when the
    caller has them at hand, otherwise they are loaded in one query.
    """
    items = list(notifications)
    by_reader: dict[int, list[Notification]] = {}
    for item in items:
        by_reader.setdefault(item.recipient_id, []).append(item)
    readers = {getattr(reader, "pk", None): reader} if reader is not None else {}
    missing = [pk for pk in by_reader if pk not in readers]
    if missing:
        readers.update(Notification.recipient.field.related_model._default_manager.in_bulk(missing))
    texts: dict[int, tuple[str, str]] = {}
    for pk, group in by_reader.items():
        for item, text in zip(group, render(group, reader=readers.get(pk)), strict=True):
            texts[id(item)] = text
    return [RenderedNotification(item, *texts[id(item)]) for item in items]


def job_recent(*, user: Any, limit: int = 5) -> QuerySet[Job]:
    """The person's own most recent background jobs."""
    return Job.objects.filter(created_by=user).order_by("-created_at")[:limit]


def audit_event_list(
    *,
    user: Any,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    roles: Iterable[str] = AUDIT_ROLES,
) -> QuerySet[AuditEvent]:
    """Audit events of organisations the user audits, newest first, optionally filtered."""
    qs = scope(AuditEvent.objects.all(), user, via="organization", roles=roles)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_repr__iexact=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


@dataclass(frozen=True)
class Change:
    """One field of an audit event: its value before and after."""

    field: str
    before: Any
    after: Any


def audit_changes(event: AuditEvent) -> list[Change]:
    """The event's before/after values side by side, one row per field."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [Change(field=k, before=before.get(k), after=after.get(k)) for k in keys]


def object_history(
    *, user: Any, obj: Model, roles: Iterable[str] = AUDIT_ROLES, limit: int = 20
) -> list[tuple[AuditEvent, list[Change]]]:
    """The latest audit events of one record with their changes, if the user may read them."""
    events = audit_event_list(user=user, object_type=obj._meta.label_lower, object_id=str(obj.pk), roles=roles)[:limit]
    return [(event, audit_changes(event)) for event in events]
