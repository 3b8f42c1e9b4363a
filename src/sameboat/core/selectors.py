"""Reads of the cross-cutting records that need no scope: the inbox, recent jobs, and an audit
event's changes (the scoped audit reads are accounts.selectors')."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sameboat.core.models import Job, Notification
from sameboat.core.notify import render


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's own inbox, newest first (nobody reads another person's inbox); only the
    unread ones when asked (the list behind the "unread" tile)."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


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
