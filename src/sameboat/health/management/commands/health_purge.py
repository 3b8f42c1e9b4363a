"""Remove health values past the retention period, wherever they were copied. Run daily."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from sameboat.health.services.retention import health_purge, retention_cutoff


class Command(BaseCommand):
    help = (
        "Purge or redact health values older than SAMEBOAT_CHECKIN_RETENTION_DAYS (default 30): "
        "check-ins and revisions, case reasons and notes, quarantine reasons, health messages, "
        "audit copies, uploaded check-in spreadsheets. Daily returns stay."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--full",
            action="store_true",
            help="Search the whole audit trail, not only what the last run had not reached yet.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        before = retention_cutoff()
        counts = health_purge(full=options["full"])
        summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
        self.stdout.write(
            f"purged before {before} (retention {settings.SAMEBOAT_CHECKIN_RETENTION_DAYS} days): {summary}"
        )
