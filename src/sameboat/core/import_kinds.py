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


@dataclass(frozen=True)
class ImportKind:
    """One thing the import page imports.

    - ``key`` names it in URLs (``template/<key>.xlsx``) and in the form;
    - ``may_use(user)`` decides who may download its template and start it;
    - ``owner(user)`` is the organisation the job belongs to (so the people above the importer
      can follow it), or ``None`` for the importer alone;
    - ``allowed_values()`` maps column keys to what each accepts, in the active language, for
      the template's instructions sheet;
    - ``keep_valid_allowed``: whether the person may keep the valid rows when some are wrong.
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


import_kinds: Registry[ImportKind] = Registry("import kinds")


def import_kinds_for(user: Any) -> list[ImportKind]:
    """The kinds this person may import, in display order."""
    return [kind for kind in import_kinds.sorted() if kind.may_use(user)]


def may_import(user: Any) -> bool:
    """Whether the person may import anything at all (the menu's Import entry)."""
    return any(kind.may_use(user) for kind in import_kinds.sorted())


def choice_list(choices: Any) -> str:
    """A TextChoices' values with their labels, for an instructions sheet."""
    return "; ".join(f"{value} ({label})" for value, label in choices.choices)


def yes_no_words(default: Any) -> str:
    """What a yes/no column accepts, and what an empty cell means."""
    return _("yes or no (是 or 否); empty means %(default)s") % {"default": default}
