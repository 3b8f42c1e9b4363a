"""Keep the background worker running: start it, and when it dies, fail its jobs and start
it again after a pause that grows while it keeps dying.

A worker can die under a job (a reader the kernel killed, a bug in a C extension, the
out-of-memory killer). Without a supervisor the job would say "running" for ever and
every later job would wait for a worker that is gone.
"""

from __future__ import annotations

import logging
import secrets
import subprocess
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


def supervise(
    command: Callable[[str], list[str]],
    *,
    on_exit: Callable[[str, int], None],
    stop: threading.Event,
    first_delay: float = 1.0,
    max_delay: float = 60.0,
    healthy_after: float = 60.0,
    on_start: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> int:
    """Run ``command(worker_id)`` until ``stop`` is set, restarting it whenever it exits.

    ``on_exit(worker_id, returncode)`` runs after every exit (it fails the dead worker's
    jobs). The pause before a restart doubles from ``first_delay`` up to ``max_delay``, and
    starts over once a worker has run ``healthy_after`` seconds. Returns how many times the
    worker was started.
    """
    delay = first_delay
    starts = 0
    while not stop.is_set():
        worker_id = f"sup-{secrets.token_hex(8)}"
        started = time.monotonic()
        proc = subprocess.Popen(command(worker_id))  # noqa: S603 - our own command line
        starts += 1
        if on_start is not None:
            on_start(proc)
        log.info("worker %s started (pid %s)", worker_id, proc.pid)
        while proc.poll() is None:
            if stop.wait(0.2):
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        returncode = proc.returncode
        try:
            on_exit(worker_id, returncode)
        except Exception:  # the supervisor must outlive a failing clean-up (e.g. the database is down)
            log.exception("clean-up after worker %s failed", worker_id)
        if stop.is_set():
            break
        if time.monotonic() - started >= healthy_after:
            delay = first_delay
        log.warning("worker %s exited with status %s; restarting in %.1f s", worker_id, returncode, delay)
        if stop.wait(delay):
            break
        delay = min(max_delay, delay * 2)
    return starts
