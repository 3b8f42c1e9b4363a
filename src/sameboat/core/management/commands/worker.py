"""Run the background worker under a supervisor that restarts it when it dies."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from sameboat.core.jobs import job_reap_worker
from sameboat.core.supervisor import supervise


class Command(BaseCommand):
    help = "Run django-tasks' db_worker and restart it whenever it exits; fail the jobs it died under."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", default="0.5", help="Seconds between polls of an empty queue.")
        parser.add_argument("--max-delay", type=float, default=60.0, help="Longest pause before a restart.")

    def handle(self, *args: Any, interval: str, max_delay: float, **options: Any) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)

        def command(worker_id: str) -> list[str]:
            return [
                sys.executable,
                "-m",
                "django",
                "db_worker",
                "--queue-name",
                "*",
                "--interval",
                interval,
                "--worker-id",
                worker_id,
                "--no-reload",
            ]

        def on_exit(worker_id: str, returncode: int) -> None:
            close_old_connections()
            reaped = job_reap_worker(worker_id=worker_id)
            if reaped:
                self.stderr.write(f"worker {worker_id} exited ({returncode}); {reaped} job(s) marked failed")

        supervise(command, on_exit=on_exit, stop=stop, max_delay=max_delay)
