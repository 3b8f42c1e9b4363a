"""Writes to a person's own things: inbox read marks and their language preference.

Read marks are not audited: they are the reader's own bookkeeping, not a change to any
record someone else relies on, and one event per opened message would bury the trail.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.core.audit import audit_record
from sameboat.core.exceptions import DomainError, PermissionDenied
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


@transaction.atomic
def user_language_set(*, actor: Any, user: Any, language: str) -> Any:
    """Set a person's preferred language ("" follows the browser); only for themselves."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("You may only change your own preferences."))
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError(_("Unknown language %(code)s.") % {"code": language}, field="language")
    before = user.language
    if before != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            actor=actor,
            action="accounts.user.language_set",
            obj=user,
            before={"language": before},
            after={"language": language},
        )
    return user
