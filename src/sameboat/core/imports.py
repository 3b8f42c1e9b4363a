"""The spreadsheet import framework: reading files row by row, matching headers in English
or Chinese, and collecting row errors. Importers (orgs.importers, health.importers) use it
for their two passes: validate everything streaming, then write in one transaction.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from sameboat.core.jobs import JobFailed

MAX_ERRORS = 200
TRUE_WORDS = {"yes", "y", "true", "1", "是", "有"}
FALSE_WORDS = {"no", "n", "false", "0", "否", "无", "没有", ""}


@dataclass(frozen=True)
class Column:
    """One column of an import: its key, its translatable header, whether it is required."""

    key: str
    label: Any
    required: bool = False
    help: Any = ""


class RowError(Exception):
    """A bad value in one row; ``column`` is the column key."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def norm(text: str) -> str:
    """A header as compared: no spaces, lower case, no trailing asterisk."""
    return "".join(str(text).split()).lower().rstrip("*")


def header_aliases(columns: Iterable[Column]) -> dict[str, str]:
    """Accepted header spellings (key, English, Chinese) mapped to column keys."""
    out: dict[str, str] = {}
    for column in columns:
        out[norm(column.key)] = column.key
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                out[norm(str(column.label))] = column.key
    return out


def match_header(header: list[str] | None, columns: tuple[Column, ...]) -> dict[str, int]:
    """Column key → position in the file, or JobFailed naming the missing/unknown columns."""
    if header is None or not any(h.strip() for h in header):
        raise JobFailed(_("The file is empty."))
    aliases = header_aliases(columns)
    keys = [aliases.get(norm(h)) for h in header]
    unknown = [h for h, k in zip(header, keys, strict=True) if k is None and h.strip()]
    missing = [str(c.label) for c in columns if c.required and c.key not in keys]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(_("missing column(s): %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown column(s): %(cols)s") % {"cols": ", ".join(unknown)})
        raise JobFailed(
            _("The header row is not right (%(what)s). Expected: %(expected)s.")
            % {"what": "; ".join(parts), "expected": ", ".join(str(c.label) for c in columns)}
        )
    return {key: i for i, key in enumerate(keys) if key}


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
    raise RowError(column, _("%(v)s is not yes or no.") % {"v": text})


# --- Reading -------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def iter_rows(path: Path, name: str) -> Iterator[list[str]]:
    """The file's rows as lists of strings, one at a time (CSV or xlsx), never all at once."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        yield from _iter_csv(path)
    elif suffix in {".xlsx", ".xlsm"}:
        with path.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                raise JobFailed(_("The file is not an Excel workbook (.xlsx), even if its name says so."))
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            for row in sheet.iter_rows():
                yield [_cell(v) for v in row]
        except CalamineError as exc:
            raise JobFailed(_("The workbook could not be read: %(reason)s") % {"reason": exc}) from exc
    else:
        raise JobFailed(_("Upload a .csv or .xlsx file."))


def _iter_csv(path: Path) -> Iterator[list[str]]:
    # UTF-8 (with or without the BOM Excel writes) first, then GB18030 for Chinese Excel.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with path.open(encoding=encoding, newline="") as fh:
                yield from csv.reader(fh)
            return
        except UnicodeDecodeError:
            continue
    raise JobFailed(_("The file's text encoding is not UTF-8 or GB18030; save it as CSV UTF-8."))


def cells(row: list[str], at: dict[str, int], width: int) -> dict[str, str]:
    """A row's values by column key (stripped; missing cells are empty)."""
    if len(row) < width:
        row = row + [""] * (width - len(row))
    return {key: row[i].strip() for key, i in at.items()}


# --- Errors --------------------------------------------------------------------------------------


@dataclass
class ErrorLog:
    """Row errors of pass 1: the first MAX_ERRORS kept to show, all counted."""

    labels: dict[str, str]
    shown: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    bad_rows: set[int] = field(default_factory=set)

    def add(self, row: int, column: str, message: str) -> None:
        """Record one bad value."""
        self.count += 1
        self.bad_rows.add(row)
        if len(self.shown) < MAX_ERRORS:
            self.shown.append({"row": row, "column": self.labels.get(column, column), "message": message})

    def fail_if_any(self, *, keep_valid: bool = False) -> None:
        """Stop before writing anything (unless the user chose to keep the valid rows)."""
        if not self.count or keep_valid:
            return
        message = _("%(n)d row(s) have errors; nothing was imported. Correct them and upload again.") % {
            "n": self.count
        }
        if self.count > len(self.shown):
            message += " " + _("(The first %(shown)d are listed.)") % {"shown": len(self.shown)}
        raise JobFailed(message, errors=self.shown)
