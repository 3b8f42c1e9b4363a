"""Spreadsheet exports of the roster (CSV and Excel), streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sameboat.core.audit import Changes, audit
from sameboat.core.spreadsheets import csv_response, xlsx_response
from sameboat.orgs.models import Employee

EXPORT_FORMATS = ("csv", "xlsx")
# What a roster export holds, named in its audit event (phone and e-mail among them).
EXPORT_FIELDS = (
    "employee_no",
    "name",
    "name_en",
    "unit_code",
    "unit",
    "title",
    "phone",
    "email",
    "home_region",
    "is_active",
)


def employee_header() -> list[str]:
    """Column titles in the active language."""
    return [
        _("Employee number"),
        _("Name"),
        _("Name in English"),
        _("Unit code"),
        _("Unit"),
        _("Job title"),
        _("Phone"),
        _("E-mail"),
        _("Home region"),
        _("On the roster"),
    ]


def employee_rows(queryset: QuerySet[Employee], language: str) -> Iterator[list[Any]]:
    """One row per employee; names that depend on the language use the caller's language.

    The rows are produced while the response streams, after the view has returned, so
    the language is pinned here rather than taken from whatever is active by then.
    """
    yes, no = _("yes"), _("no")
    with translation.override(language):
        for emp in queryset.iterator(chunk_size=2000):
            yield [
                emp.employee_no,
                emp.name,
                emp.name_en,
                emp.organization.code,
                emp.organization.name,
                emp.title,
                emp.phone,
                emp.email,
                emp.home_region.name if emp.home_region else "",
                yes if emp.is_active else no,
            ]


def employee_export(queryset: QuerySet[Employee], fmt: str, *, actor: Any, filters: dict[str, Any]) -> HttpResponseBase:
    """The roster as a CSV or Excel download (formulas neutralised by core.spreadsheets);
    people's contact details leaving the system are audited, with the filter used."""
    language = translation.get_language() or "en"
    stamp = timezone.localdate().isoformat()
    filename = f"people-{stamp}.{fmt}"
    organization = filters.get("organization")
    audit(
        "orgs.people.exported",
        None,
        Changes(
            after={
                "format": fmt,
                "fields": list(EXPORT_FIELDS),
                "rows": queryset.count(),
                "filter": {
                    "organization": organization.code if organization is not None else None,
                    "search": filters.get("search", ""),
                    "active": filters.get("active"),
                },
            }
        ),
        actor=actor,
        organization=organization,
        object_repr=filename,
    )
    header = employee_header()
    rows = employee_rows(queryset, language)
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows, sheet_title=_("People"))
    return csv_response(filename, header, rows)
