"""Retention: raw check-ins are kept for a limited time; daily returns stay."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sameboat.core.audit import audit_record
from sameboat.health.models import CheckIn


def retention_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The first day whose check-ins are kept."""
    from sameboat.health.services.checkins import MAX_DAYS_BACK

    today = today or timezone.localdate()
    # Never purge a day that can still be filed or corrected: a late report for a purged day
    # would be counted a second time in a return that already holds the purged one.
    days = max(settings.SAMEBOAT_CHECKIN_RETENTION_DAYS, MAX_DAYS_BACK + 1)
    return today - datetime.timedelta(days=days)


@transaction.atomic
def checkins_purge(*, actor: Any = None, before: datetime.date | None = None) -> int:
    """Delete check-ins (and their revisions, the values the trail refers to) before a day.

    The daily returns are aggregates without personal data and stay; the audit trail keeps
    who did what, and no health values, so it stays too.
    """
    before = min(before, retention_cutoff()) if before else retention_cutoff()
    qs = CheckIn.objects.filter(day__lt=before)
    count = qs.count()
    if count:
        oldest = qs.order_by("day").values_list("day", flat=True).first()
        qs.delete()
        audit_record(
            actor=actor,
            action="health.checkins.purged",
            object_repr=f"< {before}",
            after={"before": before, "oldest": oldest, "count": count},
        )
    return count
