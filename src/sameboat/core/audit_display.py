"""The audit trail in people's words: each field by its label, each value as a person reads it.

Events store codes and plain values (``core.audit``); this renders them when read, in the
reader's language: a model field by its ``verbose_name``, a key that is no model field by the
label its app registered (``register_audit_fields``), booleans as yes/no, a choice by its
label, a date in the language's format, a list joined, and a foreign key by the record's name
as the reader may see it (the notification references' resolvers, so an organisation out of
the reader's scope reads as a placeholder, never its name). Names are looked up once per page.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from sameboat.core.models import AuditEvent
from sameboat.core.notify import REFERENCES, render_value

# Payload keys that are no field of the record's model (a job's kind, a purge's counts):
# each app registers its keys' labels in ``AppConfig.ready()``, as it does its action codes.
AUDIT_FIELDS: dict[str, Any] = {}


# How a kind of record is named in the trail when its stored name was text in the writer's
# language (a job's name), and how a field whose values are codes reads:
# object_type -> fn(event) and (object_type, key) -> fn(value).
AUDIT_OBJECT_NAMES: dict[str, Callable[[AuditEvent], str]] = {}
AUDIT_VALUES: dict[tuple[str, str], Callable[[Any], str]] = {}


def register_audit_object_name(object_type: str, name: Callable[[AuditEvent], str]) -> None:
    """Name the events' records of one kind when read (call it in ``AppConfig.ready()``)."""
    AUDIT_OBJECT_NAMES[object_type] = name


def register_audit_value(object_type: str, key: str, words: Callable[[Any], str]) -> None:
    """Say the values of one field of one kind of record in words (``AppConfig.ready()``)."""
    AUDIT_VALUES[(object_type, key)] = words


def audit_object_name(event: AuditEvent) -> str:
    """The record's name as the reader reads it: registered for its kind, else as stored."""
    name = AUDIT_OBJECT_NAMES.get(event.object_type)
    return name(event) if name is not None else event.object_repr


def register_audit_fields(labels: Mapping[str, Any]) -> None:
    """Label payload keys that are not fields of the record's model (call it in
    ``AppConfig.ready()``); a value may be a model field, whose label and choices then serve."""
    AUDIT_FIELDS.update(labels)


@dataclass(frozen=True)
class Change:
    """One field of an audit event: its label and its values before and after, in words."""

    field: str
    label: str
    before: str
    after: str


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _fields(model: type[models.Model] | None) -> dict[str, models.Field[Any, Any]]:
    if model is None:
        return {}
    found: dict[str, Any] = {}
    for field in model._meta.get_fields():
        if not hasattr(field, "verbose_name"):
            continue  # a reverse relation
        found[field.name] = field
        attname = getattr(field, "attname", None)
        if attname:
            found[attname] = field
    return found


def model_label(object_type: str) -> str:
    """The record's kind in words (``orgs.organization`` -> "organisation")."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else ""


def _registered_field(key: str) -> Any:
    """A registered key that stands for a model field (its label and choices come with it)."""
    entry = AUDIT_FIELDS.get(key)
    return entry if hasattr(entry, "verbose_name") else None


def _label(key: str, field: Any) -> str:
    if field is not None:
        return str(field.verbose_name)
    if key in AUDIT_FIELDS:
        return str(AUDIT_FIELDS[key])
    return str(_("Other value"))


# --- Names of referenced records, once per page ---------------------------------------------------


def _related_label(field: Any) -> str | None:
    if field is None or not getattr(field, "is_relation", False) or field.related_model is None:
        return None
    return str(field.related_model._meta.label_lower)


def _ids(value: Any, field: Any) -> list[Any]:
    """The values that are keys of the related model (a payload may hold a code instead)."""
    values = list(value) if isinstance(value, list | tuple) else [value]
    pk = field.related_model._meta.pk
    found = []
    for item in values:
        if item in (None, ""):
            continue
        try:
            pk.to_python(item)
        except (TypeError, ValueError, ValidationError):
            continue
        found.append(item)
    return found


def _names(reader: Any, wanted: dict[str, set[Any]]) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    user_label = get_user_model()._meta.label_lower
    for kind, ids in wanted.items():
        reference = REFERENCES.get(kind)
        if reference is not None:
            for key, name in reference.labels(reader, sorted(ids, key=str)).items():
                names[(kind, str(key))] = name
        elif kind == user_label:
            users = get_user_model()._default_manager.filter(pk__in=[i for i in ids if str(i).isdigit()])
            for user in users:
                names[(kind, str(user.pk))] = user.get_username()
    return names


def _missing(kind: str, ident: Any) -> str:
    reference = REFERENCES.get(kind)
    return str(reference.missing) if reference is not None else f"#{ident}"


# --- Values in words ------------------------------------------------------------------------------


def _join(items: Iterable[str]) -> str:
    return pgettext("list separator", ", ").join(items)


def _date(value: Any, field: Any) -> str | None:
    if not isinstance(value, str) or len(value) < 10 or value[4:5] != "-":
        return None
    try:
        if isinstance(field, models.DateTimeField) or "T" in value:
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "DATETIME_FORMAT")
        return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    except ValueError:
        return None


def _words(value: Any, field: Any, names: dict[tuple[str, str], str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    kind = _related_label(field)
    if kind is not None and _ids(value, field):
        return _join(names.get((kind, str(i))) or _missing(kind, i) for i in _ids(value, field))
    if isinstance(value, list | tuple):
        return _join(_words(item, field, names) for item in value)
    if isinstance(value, dict) and "phrase" in value:
        return render_value(value, reader=None)  # a stored phrase (a job's summary)
    if isinstance(value, list | tuple) and value and all(isinstance(v, dict) and "phrase" in v for v in value):
        return render_value(list(value), reader=None)
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            inner = _registered_field(key)
            parts.append(f"{_label(key, inner)}: {_words(item, inner, names)}")
        return _join(parts)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if not choices and field is not None and getattr(field, "base_field", None) is not None:
        choices = dict(field.base_field.flatchoices or ())
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, Promise):
        return str(value)
    when = _date(value, field)
    if when is not None:
        return when
    if isinstance(value, int | float) and not isinstance(value, bool):
        return formats.number_format(value)
    return str(value)


def audit_changes_shown(events: Iterable[AuditEvent], *, reader: Any) -> list[tuple[AuditEvent, list[Change]]]:
    """Each event with its changes in words, as ``reader`` reads them; one look-up per kind of
    record named anywhere on the page."""
    items = list(events)
    wanted: dict[str, set[Any]] = defaultdict(set)
    plan: list[tuple[AuditEvent, list[tuple[str, Any, Any, Any, Any]]]] = []
    for event in items:
        fields = _fields(_model(event.object_type))
        before = event.before if isinstance(event.before, dict) else {}
        after = event.after if isinstance(event.after, dict) else {}
        rows = []
        for key in dict.fromkeys([*before.keys(), *after.keys()]):
            field = fields.get(key) or _registered_field(key)
            kind = _related_label(field)
            if kind is not None:
                wanted[kind].update(str(i) for i in _ids(before.get(key), field) + _ids(after.get(key), field))
            rows.append((key, field, before.get(key), after.get(key), AUDIT_VALUES.get((event.object_type, key))))
        plan.append((event, rows))
    names = _names(reader, wanted) if wanted else {}
    return [
        (
            event,
            [
                Change(
                    field=key,
                    label=_label(key, field),
                    before=words(old) if words and old is not None else _words(old, field, names),
                    after=words(new) if words and new is not None else _words(new, field, names),
                )
                for key, field, old, new, words in rows
            ],
        )
        for event, rows in plan
    ]
