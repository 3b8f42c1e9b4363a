"""Notifications: one ``notify`` service that every capability calls.

Callers name an event and its recipients; channels deliver. The in-app inbox is the one
channel today; e-mail and group-chat robot channels plug in through
``SAMEBOAT_NOTIFY_CHANNELS`` without touching any caller.

Nothing is rendered when a notification is sent. A row keeps the event code and its
``params``: plain values, references to records (``ref``) and translatable phrases
(``phrase``). Text is made when someone reads it, in the reader's language: a unit's name
comes out in English for an English reader however the sender's screen was set, and a
record that was deleted or that the reader may no longer see is named by a neutral
placeholder instead of leaking its name. Each app registers its event codes (``EVENTS``)
and the kinds of record its events refer to (``REFERENCES``) in its ``AppConfig.ready()``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sameboat.core.models import Notification
from sameboat.core.registry import Registry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """A kind of notification and how to phrase it (translated when shown)."""

    code: str
    title: Any  # a lazy translatable string with %(name)s placeholders
    body: Any = ""


@dataclass(frozen=True)
class Reference:
    """A kind of record that notifications point at, and how a reader sees it named.

    ``labels(reader, ids)`` answers ``{str(id): name}`` in the active language for the ids
    that still exist *and* that the reader may see; the others are shown as ``missing``.
    """

    key: str
    labels: Callable[[Any, list[Any]], dict[str, str]]
    missing: Any  # a lazy translatable placeholder ("a unit")


EVENTS: Registry[Event] = Registry("notification events", key=lambda event: event.code)
REFERENCES: Registry[Reference] = Registry("notification references")

# Shown for a stored code that is no longer registered (an app removed it): never the code.
FALLBACK_TITLE = _("Notification")


class UnknownEvent(ImproperlyConfigured):
    """A notification was sent with a code (or reference kind) that no app registered."""


def register_event(code: str, title: Any, body: Any = "", *, replace: bool = False) -> Event:
    """Declare an event; call it from the owning app's ``AppConfig.ready()``."""
    return EVENTS.register(Event(code=code, title=title, body=body), replace=replace)


def register_reference(
    key: str, labels: Callable[[Any, list[Any]], dict[str, str]], missing: Any, *, replace: bool = False
) -> Reference:
    """Declare a kind of record events may refer to; from the owning app's ``ready()``."""
    return REFERENCES.register(Reference(key=key, labels=labels, missing=missing), replace=replace)


def ref(kind: str, target: Any) -> dict[str, Any]:
    """A parameter that names a record (or a code) and is looked up when read."""
    return {"ref": kind, "id": getattr(target, "pk", target)}


def merge_key_for(event: str, subject: Any, day: Any) -> str:
    """The key under which repeats of ``event`` about ``subject`` on ``day`` merge (the
    recipient is the other half of the unique constraint)."""
    return f"{event}:{getattr(subject, 'pk', subject)}:{getattr(day, 'isoformat', lambda: day)()}"[:200]


def phrase(msgid: str, **args: Any) -> dict[str, Any]:
    """A parameter translated when read: mark ``msgid`` with ``gettext_noop`` at the call."""
    return {"phrase": str(msgid), "args": args}


# --- Checking what is sent ---------------------------------------------------------------------


def _strict() -> bool:
    return bool(settings.DEBUG or getattr(settings, "TESTING", False))


def _check(event: str, params: dict[str, Any]) -> None:
    """Refuse (in tests and DEBUG) what would otherwise read wrong later."""
    problems = []
    if event not in EVENTS:
        problems.append(f"event {event!r} is not registered (register_event in the owning app's ready())")

    def walk(value: Any) -> None:
        if isinstance(value, Promise):
            problems.append("a lazy translation was passed as a value; use phrase(gettext_noop(...)) instead")
        elif isinstance(value, dict):
            if "ref" in value and value["ref"] not in REFERENCES:
                problems.append(f"reference kind {value['ref']!r} is not registered")
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(params)
    if not problems:
        return
    message = f"notify({event!r}): " + "; ".join(problems)
    if _strict():
        raise UnknownEvent(message)
    # In production the message still goes out; the reader sees the neutral fallback.
    log.error(message)


# --- Sending ----------------------------------------------------------------------------------


class Channel(Protocol):
    def deliver(
        self,
        *,
        event: str,
        recipients: list[Any],
        params: dict[str, Any],
        url: str,
        organization: Any,
        merge_key: str = "",
    ) -> None: ...


class InAppChannel:
    """Writes one inbox row per recipient, all in one insert.

    With a ``merge_key`` a person who already holds a row with that key gets nothing new:
    the database's unique constraint (recipient, merge_key) decides, so two senders racing
    on the same morning still leave one row.
    """

    def deliver(
        self,
        *,
        event: str,
        recipients: list[Any],
        params: dict[str, Any],
        url: str,
        organization: Any,
        merge_key: str = "",
    ) -> None:
        Notification.objects.bulk_create(
            (
                Notification(
                    recipient=user,
                    event=event,
                    params=params,
                    url=url,
                    organization=organization,
                    merge_key=merge_key,
                )
                for user in recipients
            ),
            ignore_conflicts=bool(merge_key),
        )


@cache
def _channels() -> tuple[Channel, ...]:
    return tuple(import_string(path)() for path in settings.SAMEBOAT_NOTIFY_CHANNELS)


def notify(
    *,
    event: str,
    recipients: Iterable[Any],
    params: dict[str, Any] | None = None,
    url: str = "",
    organization: Any = None,
    merge_key: str = "",
) -> None:
    """Tell people something happened; delivered once the current transaction commits.

    ``params`` holds codes, ids (``ref``) and plain values, never text in the sender's
    language; a channel that sends text (e-mail) renders it per recipient with
    ``render_for``. ``merge_key`` (see ``merge_key_for``) makes a repeated send to the same
    person a no-op: the same reminder or alert about the same subject on the same day
    reaches each person once.
    """
    payload = dict(params or {})
    _check(event, payload)
    people = [u for u in {getattr(r, "pk", None): r for r in recipients}.values() if u is not None]
    if not people:
        return

    def _send() -> None:
        for channel in _channels():
            channel.deliver(
                event=event,
                recipients=people,
                params=payload,
                url=url,
                organization=organization,
                merge_key=merge_key,
            )

    transaction.on_commit(_send)


# --- Reading ----------------------------------------------------------------------------------


def _refs(value: Any, found: dict[str, set[Any]]) -> None:
    if isinstance(value, dict):
        if "ref" in value:
            found[str(value["ref"])].add(value.get("id"))
        for item in value.values():
            _refs(item, found)
    elif isinstance(value, list):
        for item in value:
            _refs(item, found)


Labels = dict[tuple[str, str], str]


def _resolve(reader: Any, wanted: dict[str, set[Any]]) -> Labels:
    """One look-up per kind of record, for everything on the page."""
    labels: Labels = {}
    for kind, ids in wanted.items():
        reference = REFERENCES.get(kind)
        if reference is None:
            continue
        for key, label in reference.labels(reader, sorted(ids, key=str)).items():
            labels[(kind, str(key))] = label
    return labels


def _value(value: Any, labels: Labels) -> Any:
    if isinstance(value, dict):
        if "ref" in value:
            kind = str(value["ref"])
            found = labels.get((kind, str(value.get("id"))))
            if found is not None:
                return found
            reference = REFERENCES.get(kind)
            return str(reference.missing) if reference else gettext("(not available)")
        if "phrase" in value:
            args = {key: _value(arg, labels) for key, arg in (value.get("args") or {}).items()}
            text = gettext(str(value["phrase"]))
            try:
                return text % args if args else text
            except (KeyError, TypeError, ValueError):
                return text
        if value.keys() & {"plural", "column_title", "refusal"}:
            # An import's reason (core.import_text's shapes), worded by the module that made it.
            from sameboat.core.import_text import render_text

            return render_text(value)
        return ""
    if isinstance(value, list):
        return gettext("; ").join(str(_value(item, labels)) for item in value)
    return value


def render_value(value: Any, *, reader: Any) -> str:
    """A stored value in the active language: a phrase (or a list of them) translated, a
    reference named as ``reader`` may see it, plain text (an old row) as it is."""
    wanted: dict[str, set[Any]] = defaultdict(set)
    _refs(value, wanted)
    labels = _resolve(reader, wanted) if wanted else {}
    if isinstance(value, list):
        return " ".join(str(_value(item, labels)) for item in value)
    return str(_value(value, labels))


def _fill(template: Any, context: dict[str, Any]) -> str:
    text = str(template)
    try:
        return text % context
    except (KeyError, TypeError, ValueError):
        return text


def _render_one(item: Notification, labels: Labels) -> tuple[str, str]:
    event = EVENTS.get(item.event)
    if event is None:
        return str(FALLBACK_TITLE), ""
    if item.params is None:
        # Written before params existed: its values are the sender's text, the best we have.
        context = dict(item.context or {})
    else:
        context = {key: _value(value, labels) for key, value in item.params.items()}
    title = _fill(event.title, context)
    body = _fill(event.body, context) if event.body else ""
    return title, body


def render(notifications: Iterable[Notification], *, reader: Any) -> list[tuple[str, str]]:
    """(title, body) of each notification in the active language, as ``reader`` may see it."""
    items = list(notifications)
    wanted: dict[str, set[Any]] = defaultdict(set)
    for item in items:
        if item.params:
            _refs(item.params, wanted)
    labels = _resolve(reader, wanted) if wanted else {}
    return [_render_one(item, labels) for item in items]


def reader_language(user: Any) -> str:
    """The language to write to a person in when no request says it (e-mail, summaries)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def render_for(user: Any, notifications: Iterable[Notification]) -> list[tuple[str, str]]:
    """``render`` in the person's own preferred language, for channels outside a request."""
    with translation.override(reader_language(user)):
        return render(notifications, reader=user)
