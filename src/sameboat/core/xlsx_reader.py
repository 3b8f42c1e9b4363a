"""Reading an uploaded workbook without trusting it.

First the container is checked with bounded memory (sameboat.core.filecheck): declared and
real unpacked sizes, packing ratios, the OOXML parts, XML declarations, the declared range.
Then a child process (sameboat.core.xlsx_child) reads the workbook under an address-space
and CPU limit and streams the rows back through a pipe in batches. A file nobody foresaw
can then kill only the child: the worker sees the pipe close and fails the job with a
message, and takes the next job.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sameboat.core.filecheck import Limits, Refused, check_xlsx_directory, check_xlsx_parts
from sameboat.core.import_text import phrase, render_text
from sameboat.core.jobs import JobFailed
from sameboat.core.xlsx_child import MEMORY_EXIT, RS, US

# A frame longer than this did not come from our child.
MAX_FRAME = 256 << 20

KINDS = {
    "zip": gettext_lazy("a zip archive"),
    "png": gettext_lazy("a PNG image"),
    "jpeg": gettext_lazy("a JPEG image"),
    "gif": gettext_lazy("a GIF image"),
    "pdf": gettext_lazy("a PDF document"),
    "elf": gettext_lazy("a program (ELF executable)"),
    "ole": gettext_lazy("an old-format Office file (.xls) or a password-protected workbook"),
    "gzip": gettext_lazy("a gzip archive"),
    "7z": gettext_lazy("a 7-Zip archive"),
    "rar": gettext_lazy("a RAR archive"),
}


def limits() -> Limits:
    """The configured limits (settings: SAMEBOAT_IMPORT_*)."""
    return Limits(
        max_unpacked=settings.SAMEBOAT_IMPORT_MAX_UNPACKED_MB << 20,
        max_ratio=settings.SAMEBOAT_IMPORT_MAX_RATIO,
        max_rows=settings.SAMEBOAT_IMPORT_MAX_ROWS,
        max_columns=settings.SAMEBOAT_IMPORT_MAX_COLUMNS,
    )


def refusal_message(exc: Refused) -> str:
    """A refusal in words, in the active language."""
    p = dict(exc.params)
    kind = p.get("kind")
    if exc.code in {"not_xlsx", "not_csv"} and kind in KINDS:
        p["what"] = KINDS[kind]
        if exc.code == "not_xlsx":
            return _("The file is not an Excel workbook (.xlsx): it is %(what)s. Upload a .xlsx or .csv file.") % p
        return _("The file is not a CSV text file: it is %(what)s. Upload a .csv or .xlsx file.") % p
    messages = {
        "not_xlsx": _("The file is not an Excel workbook (.xlsx), even if its name says so."),
        "not_csv": _("The file is not a CSV text file. Save it from Excel as “CSV UTF-8” or upload the .xlsx."),
        "ole": _(
            "The file is an old-format Excel file (.xls) or a password-protected workbook. "
            "Save it as an unprotected .xlsx and upload that."
        ),
        "broken_zip": _("The workbook is damaged and cannot be read (%(reason)s)."),
        "too_many_parts": _("The workbook has more than %(limit)s parts; it is refused."),
        "not_ooxml": _("The file is a zip archive but not an Excel workbook (it has no workbook part)."),
        "encrypted": _("The workbook is encrypted; save it without a password and upload it again."),
        "compression": _("The workbook's part %(part)s is packed in a way Excel does not use; it is refused."),
        "unpacked_size": _(
            "The workbook would unpack to more than %(limit_mb)s MB; it is refused. Split it into smaller files."
        ),
        "ratio": _(
            "The workbook's part %(part)s unpacks to %(ratio)s times its packed size (the limit is %(limit)s): "
            "this looks like a zip bomb and is refused."
        ),
        "size_lie": _(
            "The workbook's part %(part)s unpacks to more than its declared size: "
            "this looks like a zip bomb and is refused."
        ),
        "doctype": _(
            "The workbook's part %(part)s declares a document type or entities (<!DOCTYPE>, <!ENTITY>), "
            "which Excel never writes and which can be an XML bomb; it is refused."
        ),
        "xml_encoding": _("The workbook's part %(part)s is not UTF-8 XML; it is refused."),
        "dimension": _(
            "The sheet declares the range %(range)s (%(rows)s rows, %(columns)s columns); "
            "the limit is %(max_rows)s rows and %(max_columns)s columns. Delete the empty rows and columns "
            "at the end of the sheet, or split the file."
        ),
        "csv_line": _("A line of the file is longer than %(limit)s characters; it is not a CSV file of rows."),
        "csv_row": _("Row %(row)s is longer than %(limit)s characters; it is refused."),
    }
    message = messages.get(exc.code, _("The file is refused."))
    for key in ("rows", "columns", "max_rows", "max_columns", "limit"):
        if isinstance(p.get(key), int):
            p[key] = f"{p[key]:,}"
    return message % p if "%(" in message else message


def xlsx_rows(path: Path) -> Iterator[list[str]]:
    """The first sheet's rows as lists of strings, after the checks, read in a child.

    The quick checks (signature, central directory, declared sizes and ratios, the start of
    every XML part, the declared range) pass before the child starts. The thorough one
    (every part unpacked in full) then runs while the child parses, on the other core: the
    child is the sandbox, and no row is used before every check has passed.

    Not a generator: the child starts at this call, so that the caller can load its
    lookups while the child parses.
    """
    bounds = limits()
    try:
        parts = check_xlsx_directory(path, bounds)
    except Refused as exc:
        raise refused(exc) from None

    def thorough_check() -> None:
        try:
            check_xlsx_parts(path, parts, bounds)
        except Refused as exc:
            raise refused(exc) from None

    memory_mb = settings.SAMEBOAT_IMPORT_READER_MEMORY_MB
    cpu_seconds = settings.SAMEBOAT_IMPORT_READER_CPU_SECONDS
    command = [sys.executable, "-I", "-m", "sameboat.core.xlsx_child", str(path), str(memory_mb), str(cpu_seconds)]
    # A short, fixed environment: no secrets from ours, and no Rust backtrace to fill the log.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "RUST_BACKTRACE": "0"}
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _stop
    proc = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, env=env, close_fds=True
    )
    rows = _child_rows(proc, errors, thorough_check, memory_mb, cpu_seconds)
    # Whatever becomes of the rows (read to the end, abandoned after the header, never
    # started), the child is stopped and reaped once they are gone.
    weakref.finalize(rows, _stop, proc, errors)
    return rows


def _stop(proc: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
    if proc.stdout is not None:
        proc.stdout.close()
    proc.wait()
    errors.close()


def _child_rows(
    proc: subprocess.Popen[bytes],
    errors: IO[bytes],
    before_first_row: Callable[[], None],
    memory_mb: int,
    cpu_seconds: int,
) -> Iterator[list[str]]:
    assert proc.stdout is not None
    _widen_pipe(proc.stdout)
    ended = False
    try:
        before_first_row()
        while True:
            frame = _read_frame(proc.stdout)
            if frame is None:
                break
            if isinstance(frame, list):
                yield from frame
                continue
            if "error" in frame:
                raise _failed(
                    phrase(gettext_noop("The workbook could not be read: %(reason)s"), reason=str(frame["error"]))
                )
            ended = True
            break
    finally:
        if proc.poll() is None and not ended:
            proc.kill()  # the caller stopped early, or we failed: the child has no more to do
        returncode = proc.wait()
    if not ended:
        errors.seek(0)
        raise _failed(_died_message(returncode, errors.read(4096), memory_mb, cpu_seconds))


def _widen_pipe(stream: IO[bytes]) -> None:
    # A 1 MiB pipe (Linux's default cap for unprivileged processes) lets the child run a
    # few batches ahead instead of waking the worker for every 64 KiB: on a busy machine
    # each of those wake-ups waited for a turn on the CPU.
    with contextlib.suppress(OSError):
        fcntl.fcntl(stream.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)


def _read_frame(stream: IO[bytes]) -> Any:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    if size > MAX_FRAME or size == 0:
        return None
    data = stream.read(size)
    if len(data) < size:
        return None
    if data[:1] == b"T":
        return [row.split(US) for row in data[1:].decode().split(RS)]
    return json.loads(data[1:])


def _died_message(returncode: int, stderr: bytes, memory_mb: int, cpu_seconds: int) -> dict[str, Any]:
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return phrase(
            gettext_noop(
                "Reading the workbook took more than %(seconds)s seconds of computing and was stopped; "
                "the file is refused. Split it into smaller files."
            ),
            seconds=cpu_seconds,
        )
    if returncode in (MEMORY_EXIT, -signal.SIGABRT) or b"memory allocation" in stderr or b"MemoryError" in stderr:
        return phrase(
            gettext_noop(
                "Reading the workbook needed more than %(mb)s MB of memory and was stopped; the file is refused. "
                "A sheet with cells far apart (such as A1 and XFD1048576) does this: delete the stray cells, or "
                "split the file."
            ),
            mb=memory_mb,
        )
    return phrase(
        gettext_noop("The workbook reader stopped unexpectedly (exit status %(code)s); the file may be damaged."),
        code=returncode,
    )


def _failed(reason: dict[str, Any]) -> JobFailed:
    """A failure whose reason is read in the reader's language (core.import_text)."""
    return JobFailed(render_text(reason), result={"reason": reason})


def refused(exc: Refused) -> JobFailed:
    """A refused file as a job failure: the refusal's code and values are kept, worded when read."""
    params = {key: value if isinstance(value, int | float | str) else str(value) for key, value in exc.params.items()}
    return _failed({"refusal": exc.code, "args": params})
