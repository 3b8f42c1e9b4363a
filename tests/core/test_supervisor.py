"""The worker's supervisor: a worker that dies is started again, and its jobs are failed."""

from __future__ import annotations

import os
import signal
import sys
import threading

from sameboat.core.supervisor import supervise

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_a_killed_worker_comes_back_and_its_death_is_reported():
    stop = threading.Event()
    started: list[int] = []
    exits: list[tuple[str, int]] = []
    changed = threading.Condition()

    def on_start(proc):
        with changed:
            started.append(proc.pid)
            changed.notify_all()

    def on_exit(worker_id, returncode):
        with changed:
            exits.append((worker_id, returncode))
            changed.notify_all()

    def command(worker_id):
        assert worker_id.startswith("sup-")
        return SLEEPER

    thread = threading.Thread(
        target=supervise,
        args=(command,),
        kwargs={"on_exit": on_exit, "stop": stop, "on_start": on_start, "first_delay": 0.05},
        daemon=True,
    )
    thread.start()
    try:
        with changed:
            assert changed.wait_for(lambda: len(started) == 1, timeout=30)
        os.kill(started[0], signal.SIGKILL)  # as the kernel's out-of-memory killer would
        with changed:
            assert changed.wait_for(lambda: len(started) == 2, timeout=30)
        assert exits[0][1] == -signal.SIGKILL
        assert started[1] != started[0]
        os.kill(started[1], 0)  # the new worker is alive
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    # Stopping ends the worker too, and does not start another.
    assert len(started) == 2 and len(exits) == 2


def test_a_worker_that_keeps_dying_keeps_being_restarted_and_cleanup_errors_do_not_stop_it():
    stop = threading.Event()
    exits: list[int] = []

    def on_exit(worker_id, returncode):
        exits.append(returncode)
        if len(exits) >= 3:
            stop.set()
        raise RuntimeError("the database is down")  # logged; the supervisor goes on

    starts = supervise(
        lambda worker_id: [sys.executable, "-c", "raise SystemExit(3)"],
        on_exit=on_exit,
        stop=stop,
        first_delay=0.01,
        max_delay=0.02,
    )
    assert starts == 3 and exits == [3, 3, 3]


def test_the_worker_command_runs_the_database_worker_under_the_supervisor(monkeypatch):
    from django.core.management import call_command

    from sameboat.core.management.commands import worker

    seen = {}

    def fake_supervise(command, *, on_exit, stop, max_delay):
        seen["command"] = command("sup-x")
        seen["max_delay"] = max_delay
        return 0

    monkeypatch.setattr(worker, "supervise", fake_supervise)
    call_command("worker", "--interval", "0.5")
    assert seen["command"][1:4] == ["-m", "django", "db_worker"]
    assert "--worker-id" in seen["command"] and "sup-x" in seen["command"]
