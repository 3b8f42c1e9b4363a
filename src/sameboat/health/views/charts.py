"""The dashboard's trend charts: what each chart draws, its words and its text alternative.

Counts of a few people (fevers, quarantines, confirmed cases) drawn on the axis of a
headcount of thousands lie flat at zero, so, as DHIS2 does, the reporting figures get
one main chart and each rare event a small chart with its own scale. Everything comes
from the one 90-day trend query the dashboard already makes; the 30-day view is its tail,
cut in the browser, so the charts cost no query of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# The reporting figures share one scale; each rare event has its own small chart.
MAIN_SERIES = ("reported", "on_site", "missing")
RARE_SERIES = ("fever", "quarantined", "confirmed")
SERIES = MAIN_SERIES + RARE_SERIES
PERIODS = (30, 90)


@dataclass(frozen=True)
class Chart:
    """One chart box of the dashboard: the series it draws and how it reads aloud."""

    key: str
    title: str
    series: tuple[str, ...]
    summary: str  # the text alternative: latest and highest of each series over 90 days


def _day_label(day: Any) -> str:
    # "Dec 2" / "12月2日": Django's zh-Hans MONTH_DAY_FORMAT pads the month ("09月5日").
    return date_format(day, pgettext("month and day of a chart", "M j"))


def _summary(rows: list[dict[str, Any]], keys: tuple[str, ...], labels: dict[str, str]) -> str:
    parts = []
    for key in keys:
        top = max(rows, key=lambda r: r[key], default=None)
        if top is None:
            continue
        parts.append(
            _("%(series)s: latest %(latest)s, highest %(highest)s (%(day)s)")
            % {
                "series": labels[key],
                "latest": rows[-1][key],
                "highest": top[key],
                "day": _day_label(top["day"]),
            }
        )
    return "; ".join(parts)


@dataclass(frozen=True)
class Trends:
    """What the template needs: the boxes, the script's data, and the same numbers as a table."""

    charts: list[Chart]
    data: dict[str, Any]
    head: list[str]
    table: list[tuple[Any, list[int]]]  # (day, one value per column of ``head``), newest first


def trend_charts(rows: list[dict[str, Any]], labels: dict[str, str]) -> Trends:
    """The chart boxes, the data block for the page's script and the table behind them."""
    charts = [Chart("reporting", _("Reporting"), MAIN_SERIES, _summary(rows, MAIN_SERIES, labels))]
    charts += [Chart(key, labels[key], (key,), _summary(rows, (key,), labels)) for key in RARE_SERIES]
    data = {
        "days": [r["day"].isoformat() for r in rows],
        "values": {key: [r[key] for r in rows] for key in SERIES},
        "labels": {key: labels[key] for key in SERIES},
        "charts": {c.key: list(c.series) for c in charts},
        "rare": list(RARE_SERIES),
        "periods": list(PERIODS),
        "axis": pgettext("chart axis", "People"),
    }
    table = [(r["day"], [r[key] for key in SERIES]) for r in reversed(rows)]
    return Trends(charts=charts, data=data, head=[labels[key] for key in SERIES], table=table)
