"""Writes to a person's own things: inbox read marks and their language preference.

Read marks are not audited: they are the reader's own bookkeeping, not a change to any
record someone else relies on, and one event per opened message would bury the trail.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.core.exceptions import PermissionDenied
from sameboat.core.models import Notification


def notification_mark_read(*, user: Any, notification: Notification) -> Notification:
    """Mark one of the person's notifications read (once; the first time is kept)."""
    if notification.recipient_id != getattr(user, "pk", None):
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        # A conditional update, so two tabs opening the same message keep the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the person read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
