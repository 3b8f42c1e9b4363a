"""The dashboard's figures that open a list, each defined once.

A tile that links to a list must show the number of rows that list shows. So each such
figure is one definition here: the rows (a selector with its filter) and the address of
the list page with the same filter. The dashboard counts ``rows``; the list page applies
the filter the address carries, which ``rows`` reads the same way. A figure with no list
for the day asked (cases are today's state, not a day's) has no link and shows the
daily return's snapshot instead.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from sameboat.health import selectors
from sameboat.health.models import CASE_FIGURES
from sameboat.orgs.models import Organization


@dataclass(frozen=True)
class Figure:
    """A figure of the dashboard with the list behind it."""

    key: str
    url_name: str
    # The list's query for an organisation and a day (what the link carries).
    params: Callable[[Organization, datetime.date], list[tuple[str, str]]]
    # The rows the list shows for those (what the tile counts).
    rows: Callable[[Any, Organization, datetime.date], QuerySet[Any]]
    officer_only: bool = True  # the list names people with health values
    today_only: bool = False  # the list shows the current state, not a past day's
    # A cheaper way to the same number, when there is one (held equal to counting
    # ``rows`` by tests/health/test_missing_count.py).
    count: Callable[[Any, Organization, datetime.date], int] | None = None

    def value(self, user: Any, organization: Organization, day: datetime.date) -> int:
        """The tile's number: the count of the rows its list shows."""
        if self.count is not None:
            return self.count(user, organization, day)
        return self.rows(user, organization, day).count()

    def href(self, organization: Organization, day: datetime.date) -> str:
        return reverse(self.url_name) + "?" + urlencode(self.params(organization, day))


def _dated(organization: Organization, day: datetime.date) -> list[tuple[str, str]]:
    return [("org", str(organization.pk)), ("day", day.isoformat())]


def _cases(key: str) -> Figure:
    statuses = CASE_FIGURES[key]
    return Figure(
        key,
        "health:cases",
        lambda org, day: [("org", str(org.pk)), *(("status", s) for s in statuses)],
        lambda user, org, day: selectors.case_list(user=user, organization=org).filter(status__in=statuses),
        today_only=True,
    )


FIGURES: dict[str, Figure] = {
    f.key: f
    for f in (
        Figure(
            "missing",
            "health:missing",
            _dated,
            lambda user, org, day: selectors.missing_people(user=user, organization=org, day=day),
            officer_only=False,
            count=lambda user, org, day: selectors.missing_people_count(user=user, organization=org, day=day),
        ),
        Figure(
            "quarantined",
            "health:quarantines",
            lambda org, day: [*_dated(org, day), ("show", "confirmed")],
            lambda user, org, day: selectors.quarantine_list(
                user=user, organization=org, active_on=day, include_proposed=False
            ),
        ),
        Figure(
            "fever",
            "health:fevers",
            _dated,
            lambda user, org, day: selectors.fever_list(user=user, organization=org, day=day),
        ),
        _cases("suspected"),
        _cases("confirmed"),
    )
}


def figure_links(
    *, user: Any, organization: Organization, day: datetime.date, officer: bool
) -> dict[str, tuple[int, str]]:
    """For each figure that opens a list for this user and day: (its count, its link)."""
    today = timezone.localdate()
    out = {}
    for key, figure in FIGURES.items():
        if (figure.officer_only and not officer) or (figure.today_only and day != today):
            continue
        out[key] = (figure.value(user, organization, day), figure.href(organization, day))
    return out
