"""What an import says, stored as message ids and values and made into text when it is read.

Imports run in the background worker, in the server's language, long before (and for other
people than) the page that shows their result. So the reason a file failed, each row's problem
and the summary are stored as ``{"phrase": msgid, "args": {...}}`` (the shape ``core.notify``
uses; ``plural``/``n`` for a sentence with a count) and a column as ``{"column_title": key}``;
``render_text`` makes the text in the active language, with the column titles of the import kind.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext, ngettext_lazy, pgettext, pgettext_lazy

# The translation context of every spreadsheet column title: one English word can mean
# something else on another page ("Notes" of a follow-up case is not a template's notes).
COLUMN_CONTEXT = "spreadsheet column"
# The column that the rejected-rows file adds; importers accept it and ignore it, so the
# corrected file goes back in as it is.
ERROR_TITLE = pgettext_lazy("spreadsheet column", "Error")
# The template's example row starts with this word (in either language) and is never imported.
EXAMPLE_MARK = re.compile(r"^\s*(example|示例)\s*[:：]", re.IGNORECASE)


def phrase(msgid: str, **args: Any) -> dict[str, Any]:
    """Text translated when read: mark ``msgid`` with ``gettext_noop`` at the call."""
    return {"phrase": str(msgid), "args": args}


# Sentences whose words follow a count, by code: a phrase names one with ``plural`` and
# gives the count as its ``n`` (lazy translations choose the form when they are filled in).
PLURALS = {
    "rows_with_errors": ngettext_lazy(
        "%(n)d row has errors; nothing was imported. Correct it and upload again.",
        "%(n)d rows have errors; nothing was imported. Correct them and upload again.",
        "n",
    ),
    "more_not_listed": ngettext_lazy(
        "The first %(shown)d are listed; %(more)d more is not.",
        "The first %(shown)d are listed; %(more)d more are not.",
        "more",
    ),
}


def plural(code: str, n: int, **args: Any) -> dict[str, Any]:
    """A sentence of ``PLURALS`` with its count, translated when read."""
    return {"plural": code, "args": {"n": n, **args}}


def column_title(key: str) -> dict[str, str]:
    """A column named by its key, shown by its title in the reader's language."""
    return {"column_title": key}


def render_text(value: Any, titles: dict[str, str] | None = None) -> str:
    """A stored phrase, column reference or list of them as text in the active language."""
    if isinstance(value, dict):
        if "column_title" in value:
            key = str(value["column_title"])
            if titles is None and value.get("kind"):
                # Read away from its job's page (the inbox): the reference names its job kind.
                from sameboat.core.import_kinds import column_titles

                titles = column_titles(str(value["kind"]))
            return (titles or {}).get(key, key)
        if "refusal" in value:
            # A refused file (core.filecheck's code and values), worded by the reader's module.
            from sameboat.core.filecheck import Refused
            from sameboat.core.xlsx_reader import refusal_message

            return refusal_message(Refused(str(value["refusal"]), **dict(value.get("args") or {})))
        if "plural" in value:
            sentence = PLURALS.get(str(value["plural"]))
            try:
                return str(sentence % dict(value.get("args") or {})) if sentence is not None else ""
            except (KeyError, TypeError, ValueError):
                return ""
        if "phrase" in value:
            args = {k: _arg(v, titles) for k, v in (value.get("args") or {}).items()}
            text = gettext(str(value["phrase"]))
            try:
                return text % args if args else text
            except (KeyError, TypeError, ValueError):
                return text
        return ""
    if isinstance(value, list):
        return gettext(", ").join(render_text(item, titles) for item in value)
    return "" if value is None else str(value)


def with_kind(value: Any, job_kind: str) -> Any:
    """``value`` with each column reference naming ``job_kind``, so that it can be read where
    the job's column titles are not at hand (a notification in the inbox)."""
    if isinstance(value, list):
        return [with_kind(item, job_kind) for item in value]
    if isinstance(value, dict):
        if "column_title" in value:
            return {**value, "kind": job_kind}
        return {key: with_kind(item, job_kind) for key, item in value.items()}
    return value


def _arg(value: Any, titles: dict[str, str] | None) -> Any:
    # Numbers stay numbers, so that %(n)d still formats.
    return render_text(value, titles) if isinstance(value, dict | list) else value


def render_sentences(value: Any, titles: dict[str, str] | None = None) -> str:
    """A stored phrase, or a list of phrases that are sentences (a summary), as text."""
    if isinstance(value, list):
        return " ".join(render_text(item, titles) for item in value)
    return render_text(value, titles)


def row_error(row: int, column: str, msgid: str, args: dict[str, Any]) -> dict[str, Any]:
    """One row's problem as stored on the job: the row, the column's key, the phrase."""
    return {"row": row, "column": column, "phrase": msgid, "args": args}


def error_shown(error: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    """A stored row error as the page shows it: row, column title, problem in words.

    Jobs stored before their errors were phrases keep their text as it was."""
    if "phrase" not in error:
        return error
    column = str(error.get("column") or "")
    return {"row": error.get("row"), "column": titles.get(column, column), "message": render_text(error, titles)}


def error_titles() -> set[str]:
    """The rejected-rows file's error column title in each language, as headers compare."""
    from django.utils import translation

    titles = set()
    for lang in ("en", "zh-hans"):
        with translation.override(lang):
            titles.add(pgettext(COLUMN_CONTEXT, "Error"))
    return titles
