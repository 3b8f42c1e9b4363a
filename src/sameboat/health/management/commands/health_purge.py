"""Delete raw check-ins past the retention period (daily returns stay). Run daily."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from sameboat.health.models import IdempotencyKey
from sameboat.health.services.retention import checkins_purge, retention_cutoff


class Command(BaseCommand):
    help = "Purge check-ins older than SAMEBOAT_CHECKIN_RETENTION_DAYS (default 30)."

    def handle(self, *args: Any, **options: Any) -> None:
        before = retention_cutoff()
        count = checkins_purge(before=before)
        # Idempotency keys only matter while a phone may still retry: a day is plenty.
        stale = timezone.now() - datetime.timedelta(days=2)
        keys, _ = IdempotencyKey.objects.filter(created_at__lt=stale).delete()
        self.stdout.write(
            f"purged {count} check-ins before {before} "
            f"(retention {settings.SAMEBOAT_CHECKIN_RETENTION_DAYS} days); {keys} old idempotency keys"
        )
