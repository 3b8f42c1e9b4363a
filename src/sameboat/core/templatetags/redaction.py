"""``|redacted``: a value the retention purge removed, said in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from sameboat.core.redaction import REDACTED_TEXT

register = template.Library()


@register.filter
def redacted(value: Any) -> Any:
    """The value, or a translated note in place of the purge's stored marker."""
    if value == REDACTED_TEXT:
        return _("(removed after the retention period)")
    return value
