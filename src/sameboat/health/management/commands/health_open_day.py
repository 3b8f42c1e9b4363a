"""Open the day's returns for every unit with staff (run just after midnight)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from sameboat.health.services.rollup import returns_open_day


class Command(BaseCommand):
    help = "Create today's daily-return rows so 'not yet reported' is right from the first minute."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            n = returns_open_day(timezone.localdate())
        self.stdout.write(f"{n} units open for {timezone.localdate()}")
