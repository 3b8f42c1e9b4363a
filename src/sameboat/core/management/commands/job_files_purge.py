"""Delete job files past their time: inputs after the retry window, results after their TTL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from sameboat.core.jobs import job_files_purge


class Command(BaseCommand):
    help = (
        "Delete job input files after SAMEBOAT_JOB_RETRY_HOURS and result files after "
        "SAMEBOAT_JOB_RESULT_TTL_HOURS (and files no job names). Run daily, or let health_purge do it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = job_files_purge()
        self.stdout.write(
            f"deleted {deleted} job file(s) (retry window {settings.SAMEBOAT_JOB_RETRY_HOURS} h, "
            f"results kept {settings.SAMEBOAT_JOB_RESULT_TTL_HOURS} h)"
        )
