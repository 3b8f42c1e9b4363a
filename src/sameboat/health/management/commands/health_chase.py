"""Remind everyone who has not filed today's check-in (run at the cut-off, e.g. from cron)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sameboat.health.services.chase import chase_run


class Command(BaseCommand):
    help = "Remind people without a check-in for the day, and their unit officers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--day", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["day"]:
            try:
                day = datetime.date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError("--day must be YYYY-MM-DD") from exc
        summary = chase_run(day=day)
        self.stdout.write(
            f"missing {summary['missing']}, reminded {summary['reminded']}, "
            f"units {summary['units']}, officers told {summary['officers']}, "
            f"units under the reporting-rate target {summary['under_rate']}"
        )
