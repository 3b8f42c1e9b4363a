"""Import kinds: what the generic import page offers, registered by the apps that own them.

An app registers a kind in its ``AppConfig.ready()`` with its columns, the words for the
template's instructions sheet, who may use it and which organisation a job belongs to. The
job's handler is registered as before (``core.jobs.register_job``) under ``job_kind``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sameboat.core.imports import Column
from sameboat.core.registry import Registry


def no_allowed_values() -> dict[str, str]:
    """A kind whose columns need no explanation beyond their hints."""
    return {}


def no_choices() -> dict[str, list[str]]:
    """A kind with no column limited to a list of values."""
    return {}


@dataclass(frozen=True)
class ImportKind:
    """One thing the import page imports.

    - ``key`` names it in URLs (``template/<key>.xlsx``) and in the form;
    - ``may_use(user)`` decides who may download its template and start it;
    - ``owner(user)`` is the organisation the job belongs to (so the people above the importer
      can follow it), or ``None`` for the importer alone;
    - ``allowed_values()`` maps column keys to what each accepts, in the active language, for
      the template's instructions sheet;
    - ``keep_valid_allowed``: whether the person may keep the valid rows when some are wrong;
    - ``choices()`` maps the columns with a fixed set of values to those values, in the active
      language (words the importer accepts): the template offers them as a drop-down list;
      ``several`` names the columns that take more than one of them (a list the person may
      also type into);
    - ``example()`` is the template's example row, column key to value, in the active
      language; the importer skips it (see core.imports.is_example).
    """

    key: str
    label: Any
    job_kind: str
    columns: tuple[Column, ...]
    may_use: Callable[[Any], bool]
    owner: Callable[[Any], Any]
    allowed_values: Callable[[], dict[str, str]] = no_allowed_values
    keep_valid_allowed: bool = True
    order: int = 0
    choices: Callable[[], dict[str, list[str]]] = no_choices
    several: frozenset[str] = frozenset()
    example: Callable[[], dict[str, str]] = no_allowed_values


import_kinds: Registry[ImportKind] = Registry("import kinds")


def import_kinds_for(user: Any) -> list[ImportKind]:
    """The kinds this person may import, in display order."""
    return [kind for kind in import_kinds.sorted() if kind.may_use(user)]


def may_import(user: Any) -> bool:
    """Whether the person may import anything at all (the menu's Import entry)."""
    return any(kind.may_use(user) for kind in import_kinds.sorted())


def import_kind_for_job(job_kind: str) -> ImportKind | None:
    """The import kind whose jobs are of ``job_kind`` (None for other jobs)."""
    return next((kind for kind in import_kinds if kind.job_kind == job_kind), None)


def column_titles(job_kind: str) -> dict[str, str]:
    """Column key → title in the active language, for a job of this kind ({} for other jobs)."""
    kind = import_kind_for_job(job_kind)
    return {c.key: str(c.label) for c in kind.columns} if kind else {}


def choice_labels(choices: Any) -> list[str]:
    """A TextChoices' labels in the active language (the importer accepts them), for a drop-down."""
    return [str(label) for _value, label in choices.choices]


def yes_no() -> list[str]:
    """The words of a yes/no drop-down, in the active language."""
    return [_("yes"), _("no")]


def choice_list(choices: Any) -> str:
    """A TextChoices' values with their labels, for an instructions sheet."""
    return "; ".join(f"{value} ({label})" for value, label in choices.choices)


def yes_no_words(default: Any) -> str:
    """What a yes/no column accepts, and what an empty cell means."""
    return _("yes or no (是 or 否); empty means %(default)s") % {"default": default}


def errors_in_words(job_kind: str, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A job's stored row errors as people read them, in the active language: row, column
    title, problem."""
    from sameboat.core.import_text import error_shown

    titles = column_titles(job_kind)
    return [error_shown(e, titles) for e in errors]
