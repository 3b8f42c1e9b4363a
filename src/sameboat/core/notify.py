"""Notifications: one ``notify`` service that every capability calls.

Callers name an event and its recipients; channels deliver. The in-app inbox is the one
channel today; e-mail and group-chat robot channels plug in through
``SAMEBOAT_NOTIFY_CHANNELS`` without touching any caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from sameboat.core.models import Notification


@dataclass(frozen=True)
class Event:
    """A kind of notification and how to phrase it (translated when shown)."""

    code: str
    title: Any  # a lazy translatable string with %(name)s placeholders
    body: Any = ""


EVENTS: dict[str, Event] = {}


def register_event(code: str, title: Any, body: Any = "") -> Event:
    """Declare an event once, at import time, in the app that raises it."""
    event = Event(code=code, title=title, body=body)
    EVENTS[code] = event
    return event


def render(code: str, context: dict[str, Any]) -> tuple[str, str]:
    """Title and body of an event in the active language."""
    event = EVENTS.get(code)
    if event is None:
        return code, ""
    try:
        title = str(event.title) % context
        body = str(event.body) % context if event.body else ""
    except (KeyError, TypeError, ValueError):
        title, body = str(event.title), ""
    return title, body


class Channel(Protocol):
    def deliver(
        self, *, event: str, recipients: list[Any], context: dict[str, Any], url: str, organization: Any
    ) -> None: ...


class InAppChannel:
    """Writes one inbox row per recipient."""

    def deliver(
        self, *, event: str, recipients: list[Any], context: dict[str, Any], url: str, organization: Any
    ) -> None:
        Notification.objects.bulk_create(
            Notification(recipient=user, event=event, context=context, url=url, organization=organization)
            for user in recipients
        )


@cache
def _channels() -> tuple[Channel, ...]:
    return tuple(import_string(path)() for path in settings.SAMEBOAT_NOTIFY_CHANNELS)


def notify(
    *,
    event: str,
    recipients: Iterable[Any],
    context: dict[str, Any] | None = None,
    url: str = "",
    organization: Any = None,
) -> None:
    """Tell people something happened; delivered once the current transaction commits."""
    people = [u for u in {getattr(r, "pk", None): r for r in recipients}.values() if u is not None]
    if not people:
        return
    payload = dict(context or {})

    def _send() -> None:
        for channel in _channels():
            channel.deliver(event=event, recipients=people, context=payload, url=url, organization=organization)

    transaction.on_commit(_send)


register_event("core.job.succeeded", _("%(name)s finished"), _("%(summary)s"))
register_event("core.job.failed", _("%(name)s failed"), _("%(reason)s"))
