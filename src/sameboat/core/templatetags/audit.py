"""``|audit_label``: an audit action code as its registered label in the reader's language;
``|audit_object_type``: the kind of record in words."""

from __future__ import annotations

from django import template

from sameboat.core.audit import audit_action_label
from sameboat.core.audit_display import audit_object_name, model_label

register = template.Library()


@register.filter
def audit_label(code: str) -> str:
    """The registered label of the code (a generic one for an old or unknown code)."""
    return audit_action_label(code)


@register.filter
def audit_object_type(object_type: str) -> str:
    """The kind of record an event is about, in words (empty for a kind no app has any more)."""
    return model_label(object_type)


@register.filter
def audit_object(event: object) -> str:
    """The name of the record an event is about, in the reader's language where it can be."""
    return audit_object_name(event)  # type: ignore[arg-type]
