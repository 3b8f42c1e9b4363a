"""Exports of the health capability: the day's returns of a subtree as CSV or Excel.

The rows are plain values; ``core.spreadsheets`` streams them and neutralises anything a
spreadsheet program would take for a formula (an organisation named "=1+1" stays text).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from sameboat.core.spreadsheets import csv_response, xlsx_response
from sameboat.health.models import RETURN_COUNTERS
from sameboat.health.selectors import with_missing
from sameboat.orgs.models import Organization

# Column order of the export: every counter of a daily return, with the derived figures
# (not reported, rate) after "reported".
EXPORT_COUNTERS = (*RETURN_COUNTERS[:2], "missing", "rate", *RETURN_COUNTERS[2:])


def counter_labels() -> dict[str, str]:
    """The counters' names in the reader's language (tiles, table heads, export columns)."""
    return {
        "headcount": _("Headcount"),
        "reported": _("Reported"),
        "missing": _("Not reported"),
        "on_time": _("Reported by the cut-off"),
        "on_time_rate": _("On-time rate (%)"),
        "rate": _("Reporting rate (%)"),
        "on_site": _("On site"),
        "cloud_office": _("Cloud office"),
        "leave": _("Leave"),
        "quarantined": _("In quarantine"),
        "fever": _("Fever"),
        "symptomatic": _("With symptoms"),
        "exposed": _("Exposed"),
        "suspected": _("Suspected"),
        "confirmed": _("Confirmed"),
    }


def returns_table(
    *, organization: Organization, day: datetime.date, lines: Sequence[dict[str, Any]]
) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: one row per breakdown line (own staff, then each child subtree) and a
    last row with the whole subtree's totals."""
    labels = counter_labels()
    header = [_("Day"), _("Code"), _("Organisation"), _("Line"), *(labels[c] for c in EXPORT_COUNTERS)]
    rows: list[list[Any]] = []
    total = dict.fromkeys(RETURN_COUNTERS, 0)
    for line in lines:
        rows.append(
            [
                day,
                line["organization"].code,
                str(line["organization"].name),
                _("own staff") if line["own_staff"] else _("whole subtree"),
                *(line[c] for c in EXPORT_COUNTERS),
            ]
        )
        for key in RETURN_COUNTERS:
            total[key] += line[key]
    totals = with_missing(total)
    rows.append(
        [
            day,
            organization.code,
            str(organization.name),
            _("total"),
            *(totals[c] for c in EXPORT_COUNTERS),
        ]
    )
    return header, rows


def returns_export(
    *, organization: Organization, day: datetime.date, lines: Sequence[dict[str, Any]], fmt: str
) -> HttpResponseBase:
    """The day's returns as a CSV or an Excel download."""
    header, rows = returns_table(organization=organization, day=day, lines=lines)
    filename = f"returns-{organization.code}-{day.isoformat()}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, header, rows, sheet_title=day.isoformat())
