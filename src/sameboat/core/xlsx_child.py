"""The child process that reads a workbook, under limits, and streams its rows back.

Run as ``python -I -m sameboat.core.xlsx_child PATH MEMORY_MB CPU_SECONDS``. It caps its own
address space and CPU time before it imports the reader, so a file that makes the reader ask
for 512 GiB kills this process, not the worker that waits for it. Rows go to standard output
in frames: a 4-byte big-endian length, then "T" and a batch of rows as text (cells joined by
US, rows by RS), or "J" and JSON (a batch of rows whose cells hold those separators, or a
final object: ``{"end": rows}`` or ``{"error": reason}``). Never pickle: the parent must not
run what a child that met a hostile file might have written.

Imports nothing from Django (fast to start, nothing to misconfigure).
"""

from __future__ import annotations

import datetime
import json
import os
import resource
import struct
import sys
from typing import IO, Any

BATCH = 2000
US, RS = "\x1f", "\x1e"  # the unit and record separators of ASCII
# The exit status of a child that ran out of memory in Python (Rust allocation failures
# abort instead: SIGABRT).
MEMORY_EXIT = 75


def cell(value: Any) -> str:
    """A cell as the importers compare it: text, whole numbers without ".0", ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def limit(memory_mb: int, cpu_seconds: int) -> None:
    """Cap this process: address space, CPU time, no core dump, no files written."""
    memory = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def send(out: IO[bytes], payload: Any) -> None:
    """Write one JSON frame."""
    data = b"J" + json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    out.write(struct.pack(">I", len(data)))
    out.write(data)


def send_rows(out: IO[bytes], rows: list[list[str]]) -> None:
    """Write a batch of rows: cells joined by US, rows by RS (cheap to split), unless a cell
    holds one of those, when the batch goes as JSON."""
    text = RS.join([US.join(row) for row in rows])
    if text.count(RS) != len(rows) - 1 or text.count(US) != sum(len(row) for row in rows) - len(rows):
        send(out, rows)
        return
    data = b"T" + text.encode()
    out.write(struct.pack(">I", len(data)))
    out.write(data)


def read_rows(path: str, out: IO[bytes]) -> None:
    """Stream the first sheet's rows to ``out`` in batches."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        # calamine keeps the sheet's cells in compact Rust memory; rows leave in batches.
        # Blank rows above the data are given back, so row numbers are true.
        sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
        count = 0
        batch: list[list[str]] = []
        for row in sheet.iter_rows():
            batch.append([v.strip() if v.__class__ is str else cell(v) for v in row])
            if len(batch) >= BATCH:
                send_rows(out, batch)
                count += len(batch)
                batch = []
        if batch:
            send_rows(out, batch)
            count += len(batch)
    except CalamineError as exc:
        send(out, {"error": str(exc)[:500]})
    else:
        send(out, {"end": count})
    out.flush()


def main(argv: list[str]) -> int:
    """Entry point: limit, read, stream."""
    path, memory_mb, cpu_seconds = argv[0], int(argv[1]), int(argv[2])
    limit(memory_mb, cpu_seconds)
    try:
        read_rows(path, sys.stdout.buffer)
    except MemoryError:
        os._exit(MEMORY_EXIT)  # nothing more can be allocated, not even a traceback
    except BrokenPipeError:
        os._exit(0)  # the parent stopped reading (it had what it needed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
