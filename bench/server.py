"""Start the real app (gunicorn, sync workers) on the benchmark's database, and a load loop."""

from __future__ import annotations

import http.client
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the database Django is using now (the benchmark's test database)."""
    from django.db import connection

    cfg = connection.settings_dict
    auth = cfg["USER"] or ""
    if cfg["PASSWORD"]:
        auth += f":{cfg['PASSWORD']}"
    host = cfg["HOST"] or "127.0.0.1"
    port = cfg["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{cfg['NAME']}"


@contextmanager
def gunicorn(*, workers: int = 3, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Serve the app as `make run` does; yields the base URL."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "SAMEBOAT_ENV": "development",
            "DATABASE_URL": database_url(),
            "SAMEBOAT_VAR_DIR": tmp,
            "SAMEBOAT_BENCH_ENDPOINTS": "true",
            "LOG_LEVEL": "WARNING",
            "AXES_ENABLED": "false",
            **(extra_env or {}),
        }
        proc = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "sameboat.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.time() + 60
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    conn.request("GET", "/healthz")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if proc.poll() is not None or time.time() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError(f"gunicorn did not start: {err[-2000:]}")
                time.sleep(0.3)
            yield f"127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def load(
    host: str,
    *,
    path: str,
    make_request: Callable[[int], tuple[dict[str, Any], dict[str, str]]],
    seconds: float,
    clients: int,
    start_at: int,
) -> dict[str, Any]:
    """POST as fast as ``clients`` threads can for ``seconds``; returns counts and rate."""
    counter = itertools.count(start_at)
    lock = threading.Lock()
    ok = errors = 0
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds
    hostname, port = host.split(":")

    def worker() -> None:
        nonlocal ok, errors
        conn = http.client.HTTPConnection(hostname, int(port), timeout=30)
        while time.perf_counter() < stop_at:
            with lock:
                n = next(counter)
            body, headers = make_request(n)
            started = time.perf_counter()
            try:
                conn.request(
                    "POST", path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers}
                )
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(hostname, int(port), timeout=30)
                status = -1
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    ok += 1
                    latencies.append(elapsed)
                else:
                    errors += 1
        conn.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    latencies.sort()
    return {
        "ok": ok,
        "errors": errors,
        "statuses": statuses,
        "rps": ok / wall if wall else 0.0,
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 2) if latencies else None,
        "next": next(counter),
    }


if __name__ == "__main__":  # pragma: no cover - a manual smoke run
    sys.exit("import this module from a benchmark")
