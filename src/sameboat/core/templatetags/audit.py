"""``|audit_label``: an audit action code as its registered label in the reader's language."""

from __future__ import annotations

from django import template

from sameboat.core.audit import audit_action_label

register = template.Library()


@register.filter
def audit_label(code: str) -> str:
    """The registered label of the code (a generic one for an old or unknown code)."""
    return audit_action_label(code)
