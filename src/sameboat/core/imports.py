"""The spreadsheet import framework: reading files row by row, matching headers in English
or Chinese, checking cells, collecting row errors and reporting progress.

Importers (orgs.importers, health.importers) make two passes over a file: pass 1 streams it
and validates every row against small lookups, so a 200,000-row file is never in memory at
once; pass 2 reads it again and writes in batches inside one transaction, so a failure
writes nothing.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext_noop

from sameboat.core.filecheck import Refused, check_csv_head, check_end_record, longest_line_within
from sameboat.core.import_text import (
    EXAMPLE_MARK,
    column_title,
    error_titles,
    phrase,
    plural,
    render_text,
    row_error,
)
from sameboat.core.jobs import JobFailed
from sameboat.core.spreadsheets import FORMULA_START

if TYPE_CHECKING:
    from sameboat.core.jobs import JobContext

MAX_ERRORS = 200
TRUE_WORDS = {"yes", "y", "true", "1", "是", "有", "在册", "在职"}
FALSE_WORDS = {"no", "n", "false", "0", "否", "无", "没有", ""}
SUFFIXES = (".csv", ".xlsx")
# The most characters one CSV row (or line) may hold; real rows hold a few hundred.
MAX_ROW_CHARS = 1 << 20


@dataclass(frozen=True)
class Column:
    """One column of an import: its key, translatable header (``pgettext_lazy`` with
    ``import_text.COLUMN_CONTEXT``), whether it is required, a hint for the template's
    instructions sheet and extra accepted header spellings."""

    key: str
    label: Any
    required: bool = False
    help: Any = ""
    aliases: tuple[str, ...] = ()


class RowError(Exception):
    """A bad value in one row: ``column`` is the column key, ``msgid`` (marked with
    ``gettext_noop``) and ``values`` say what is wrong, translated when read."""

    def __init__(self, column: str, msgid: str, **values: Any):
        super().__init__(msgid)
        self.column = column
        self.msgid = msgid
        self.values = values

    @property
    def message(self) -> str:
        """The problem in words, in the active language."""
        return render_text(phrase(self.msgid, **self.values))

    def __str__(self) -> str:
        return self.message


def fail(
    msgid: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    columns: Iterable[Column] = (),
    **args: Any,
) -> JobFailed:
    """A job failure whose reason is stored as a phrase and read in the reader's language
    (the job's own message is the same in the worker's language, for logs and old readers)."""
    reason = phrase(msgid, **args)
    titles = {c.key: str(c.label) for c in columns}
    return JobFailed(render_text(reason, titles), errors=errors, result={"reason": reason})


# --- Headers and values --------------------------------------------------------------------------


def norm(text: str) -> str:
    """A header as compared: no spaces, lower case, no trailing asterisk (required mark)."""
    return "".join(str(text).split()).lower().rstrip("*")


def header_aliases(columns: Iterable[Column]) -> dict[str, str]:
    """Accepted header spellings (key, English, Chinese, aliases) mapped to column keys.

    The rejected-rows file's error column maps to "" (read, and ignored)."""
    out: dict[str, str] = {norm(title): "" for title in error_titles()}
    for column in columns:
        out[norm(column.key)] = column.key
        for alias in column.aliases:
            out[norm(alias)] = column.key
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                out[norm(str(column.label))] = column.key
    return out


def expected_headers(columns: Iterable[Column]) -> list[Any]:
    """The columns as stored words (titles when read), required ones marked."""
    return [phrase("%(title)s*", title=column_title(c.key)) if c.required else column_title(c.key) for c in columns]


def match_header(header: list[str] | None, columns: tuple[Column, ...]) -> dict[str, int]:
    """Column key → position in the file, or JobFailed naming the missing/unknown columns."""
    if header is None or not any(str(h).strip() for h in header):
        raise fail(gettext_noop("The file is empty."))
    aliases = header_aliases(columns)
    keys = [aliases.get(norm(h)) for h in header]
    unknown = [str(h) for h, k in zip(header, keys, strict=True) if k is None and h.strip()]
    missing = [column_title(c.key) for c in columns if c.required and c.key not in keys]
    twice = [column_title(k) for k in sorted({k for k in keys if k and keys.count(k) > 1})]
    if unknown or missing or twice:
        parts = []
        if missing:
            parts.append(phrase(gettext_noop("missing column(s): %(cols)s"), cols=missing))
        if unknown:
            parts.append(phrase(gettext_noop("unknown column(s): %(cols)s"), cols=unknown))
        if twice:
            parts.append(phrase(gettext_noop("column(s) given twice: %(cols)s"), cols=twice))
        raise fail(
            gettext_noop("The header row is not right (%(what)s). Expected: %(expected)s."),
            what=_joined(parts),
            expected=expected_headers(columns),
            columns=columns,
        )
    return {key: i for i, key in enumerate(keys) if key}


def _joined(parts: list[Any]) -> Any:
    # Two or three clauses of the header message, joined with "; " in every language.
    return phrase("; ".join(f"%({i})s" for i in range(len(parts))), **{str(i): p for i, p in enumerate(parts)})


def choice_words(choices: Any) -> dict[str, str]:
    """Every accepted spelling of a TextChoices value (code, English, Chinese) → code."""
    out: dict[str, str] = {}
    for value, label in choices.choices:
        out[value.lower()] = value
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                out[str(label).strip().lower()] = value
    return out


def parse_bool(text: str, column: str, *, default: bool = False) -> bool:
    """yes/no in English or Chinese; empty gives the default."""
    if not text:
        return default
    lowered = text.strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise RowError(column, gettext_noop("%(v)s is not yes or no."), v=text)


def check_email(value: str, column: str) -> str:
    """The address itself, or RowError (an empty cell is allowed)."""
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise RowError(column, gettext_noop("%(v)s is not an e-mail address."), v=value) from None
    return value


def check_length(value: str, column: str, limit: int) -> str:
    """The value, or RowError when it is longer than the database keeps."""
    if len(value) > limit:
        raise RowError(column, gettext_noop("Longer than %(n)d characters."), n=limit)
    return value


# --- Reading -------------------------------------------------------------------------------------


def iter_rows(path: Path, name: str) -> Iterator[list[str]]:
    """The file's rows as lists of strings, one at a time (CSV or xlsx), never all at once.

    A workbook is checked at this call and its reader starts at once (see xlsx_reader), so
    a caller that loads lookups before taking the first row does so while it parses."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _iter_csv(path)
    if suffix in {".xlsx", ".xlsm"}:
        from sameboat.core.xlsx_reader import xlsx_rows

        return xlsx_rows(path)
    raise fail(gettext_noop("Upload a .csv or .xlsx file."))


def _refuse(exc: Refused) -> JobFailed:
    from sameboat.core.xlsx_reader import refused

    return refused(exc)


def csv_encoding(path: Path) -> str:
    """UTF-8 (with or without the BOM Excel writes) or GB18030 (Chinese Excel's CSV).

    Decided over the whole file before any row is read: a file that turns out not to be
    UTF-8 on its last line must not have had its first lines read twice. The same pass
    refuses binary files (a known signature, or NUL bytes) and lines longer than
    MAX_ROW_CHARS.
    """
    with path.open("rb") as fh:
        head = fh.read(16)
    try:
        check_csv_head(head)
    except Refused as exc:
        raise _refuse(exc) from None
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        carried = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    if b"\x00" in chunk:
                        # Text never holds NUL bytes: this is a binary file (or UTF-16).
                        raise fail(
                            gettext_noop(
                                "The file is not a CSV text file. "
                                "Save it from Excel as “CSV UTF-8” or upload the .xlsx."
                            )
                        )
                    carried = longest_line_within(chunk, carried, MAX_ROW_CHARS)
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        except Refused as exc:
            raise _refuse(exc) from None
        return encoding
    raise fail(gettext_noop("The file's text encoding is not UTF-8 or GB18030; save it as CSV UTF-8."))


def _iter_csv(path: Path) -> Iterator[list[str]]:
    # CSV is parsed here, in the worker, not in a child process: its memory is bounded
    # without one. csv_encoding has read every byte first (no NUL, no line longer than
    # MAX_ROW_CHARS); the csv module caps a field at field_size_limit (128 KiB); and the
    # lines fed to it are counted so that one row, however many quoted line breaks it
    # spans, holds at most MAX_ROW_CHARS characters. A row costs at most a few dozen MB, the
    # file is streamed, and its size is capped at upload (SAMEBOAT_IMPORT_MAX_BYTES).
    encoding = csv_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        used = [0, 0]  # characters of the row being read, rows read

        def lines() -> Iterator[str]:
            for line in fh:
                total = used[0] + len(line)
                if total > MAX_ROW_CHARS:
                    raise _refuse(Refused("csv_row", row=used[1] + 1, limit=MAX_ROW_CHARS))
                used[0] = total
                yield line

        reader = csv.reader(lines())
        try:
            for row in reader:
                used[0] = 0
                used[1] += 1
                yield row
        except csv.Error as exc:
            raise fail(
                gettext_noop("Line %(line)d could not be read as CSV (%(reason)s). Is this really a CSV file?"),
                line=reader.line_num,
                reason=str(exc),
            ) from exc


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def estimate_rows(path: Path, name: str) -> int | None:
    """About how many rows the file has (for progress), without reading it as a table."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".csv":
            lines = 0
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    lines += chunk.count(b"\n")
            return lines
        with path.open("rb") as fh:
            check_end_record(fh)  # before zipfile builds an object per part: not too many
        with zipfile.ZipFile(path) as archive:
            sheets = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
            if not sheets:
                return None
            size = archive.getinfo(sheets[0]).file_size
            with archive.open(sheets[0]) as fh:
                sample = fh.read(1 << 16)
            found = _DIMENSION.search(sample[:4096])
            if found and found.group(1):
                return int(found.group(1))
            # No dimension (streamed writers omit it): extrapolate from the first rows.
            rows = sample.count(b"<row ") + sample.count(b"<row>")
            return round(rows * size / len(sample)) if rows and sample else None
    except Exception:  # only a progress estimate: the reader refuses bad files properly
        return None


def cells(row: list[str], at: dict[str, int], width: int) -> dict[str, str]:
    """A row's values by column key (stripped; missing cells are empty)."""
    if len(row) < width:
        row = row + [""] * (width - len(row))
    return {key: unquote(row[i].strip()) for key, i in at.items()}


def unquote(value: str) -> str:
    """A value without the apostrophe our exports put before formula-like text."""
    if value[:1] == "'" and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def header_row(rows: Iterator[list[str]]) -> tuple[list[str] | None, int]:
    """The first non-blank row of ``rows`` (the header) and its number as the spreadsheet
    shows it; (None, rows read) when there is none. People often leave a title or an empty
    line above the header, so blank rows before it are skipped, not taken for "empty"."""
    number = 0
    for raw in rows:
        number += 1
        if any(str(v).strip() for v in raw):
            return raw, number
    return None, number


def is_example(raw: list[str]) -> bool:
    """Whether a row is the template's example row (its first filled cell says so)."""
    for value in raw:
        text = str(value).strip()
        if text:
            return bool(EXAMPLE_MARK.match(text))
    return False


def records(path: Path, name: str, columns: tuple[Column, ...]) -> Iterator[tuple[int, dict[str, str] | None]]:
    """(row number as the spreadsheet shows it, values by column key) for each non-blank row.

    The first non-blank row is the header; blank rows are skipped, not reported. The
    template's example row, right below the header, comes as (its number, None): the
    caller skips it without calling it a row of data.
    """
    rows = iter_rows(path, name)
    header, number = header_row(rows)
    at = match_header(header, columns)
    width = max(at.values()) + 1
    first = True
    for raw in rows:
        number += 1
        if any(v.strip() for v in raw):
            if first:
                first = False
                if is_example(raw):
                    yield number, None
                    continue
            yield number, cells(raw, at, width)


# --- Errors and progress -------------------------------------------------------------------------


@dataclass
class ErrorLog:
    """Row errors of pass 1: the first MAX_ERRORS kept to show, all counted.

    Errors are stored as column keys and phrases (core.import_text), read in the reader's
    language. With ``ctx`` (the import runs as a job), every rejected row's values and
    problem also go to a spool, which becomes the job's rejected-rows file to download,
    fix and import again. Only rejected rows cost anything here."""

    columns: tuple[str, ...] = ()
    ctx: JobContext | None = None
    shown: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    bad_rows: set[int] = field(default_factory=set)
    spool: IO[str] | None = None

    @classmethod
    def for_columns(cls, columns: Iterable[Column], ctx: JobContext | None = None) -> ErrorLog:
        """An empty log for these columns; keeps the rejected rows when running as a job."""
        return cls(columns=tuple(c.key for c in columns), ctx=ctx)

    def add(self, row: int, error: RowError, values: dict[str, str] | None = None) -> None:
        """Record one bad row: its problem, and (for the rejected-rows file) its values."""
        self.count += 1
        self.bad_rows.add(row)
        stored = row_error(row, error.column, error.msgid, error.values)
        if len(self.shown) < MAX_ERRORS:
            self.shown.append(stored)
        if self.ctx is not None and values is not None:
            if self.spool is None:
                self.spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in keep()
            self.spool.write(json.dumps({"values": values, "error": stored}, ensure_ascii=False, default=str) + "\n")

    def keep(self) -> None:
        """Store the rejected rows (in file order) as the job's file to download."""
        if self.spool is None or self.ctx is None:
            return
        from django.core.files import File
        from django.core.files.storage import default_storage
        from django.utils import timezone

        with self.spool as spool, tempfile.TemporaryFile("w+", encoding="utf-8") as ordered:
            spool.seek(0)
            lines = sorted(spool, key=lambda line: json.loads(line)["error"]["row"])
            ordered.write(json.dumps({"columns": list(self.columns)}) + "\n")
            ordered.writelines(lines)
            ordered.seek(0)
            folder = timezone.now().strftime("jobs/results/%Y/%m")
            self.ctx.result_file = default_storage.save(f"{folder}/{self.ctx.job.pk}-rejected.jsonl", File(ordered))
        self.spool = None

    def more_note(self) -> dict[str, Any] | str:
        """'… and N more' when not every error is listed (a phrase, read in the reader's language)."""
        more = self.count - len(self.shown)
        if more <= 0:
            return ""
        return plural("more_not_listed", more, shown=len(self.shown), more=more)

    def fail_if_any(self, *, keep_valid: bool = False) -> None:
        """Stop before writing anything (unless the user chose to keep the valid rows)."""
        if not self.count or keep_valid:
            return
        self.keep()
        bad = len(self.bad_rows)
        reason = plural("rows_with_errors", bad)
        note = self.more_note()
        raise JobFailed(
            f"{render_text(reason)} {render_text(note)}".strip(),
            errors=self.shown,
            result={"reason": reason, "errors_note": note, "rejected": bad},
        )

    def skipped_report(self) -> dict[str, Any]:
        """What a job that kept the valid rows says about the rows it skipped."""
        if not self.count:
            return {"skipped": 0}
        self.keep()
        return {"skipped": len(self.bad_rows), "errors": self.shown, "errors_note": self.more_note()}


class Progress:
    """Reports pass 1 as 0–``until`` % of the job, every ``every`` rows (cheap per row)."""

    def __init__(self, ctx: JobContext | None, total: int | None, *, until: int = 80, every: int = 2000):
        self.ctx = ctx
        self.total = max(1, total or 0)
        self.until = until
        self.every = every
        self.known = bool(total)

    def row(self, count: int) -> None:
        """Called with the number of rows read so far."""
        if self.ctx is None or count % self.every:
            return
        percent = min(self.until - 1, self.until * count / self.total) if self.known else 0
        self.ctx.progress(percent, phrase(gettext_noop("Checking row %(n)s"), n=f"{count:,}"))

    def saving(self) -> None:
        """The moment before the write transaction."""
        if self.ctx is not None:
            self.ctx.progress(self.until, phrase(gettext_noop("Saving…")), force=True)


def summary(counts: dict[str, Any]) -> list[dict[str, Any]]:
    """The one-line result of an import, as phrases said in the reader's language when the
    job page or the inbox shows it (``core.notify.render_value``), never in the worker's."""
    numbers = {key: counts.get(key, 0) for key in ("created", "updated", "unchanged", "skipped")}
    parts = [phrase(gettext_noop("%(created)s added, %(updated)s changed, %(unchanged)s unchanged."), **numbers)]
    if counts.get("skipped"):
        parts.append(phrase(gettext_noop("%(skipped)s invalid row(s) skipped."), **numbers))
    return parts
