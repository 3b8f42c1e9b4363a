"""What the health history's simulation plans and produces: its people, cases and
results, and the columns they are written in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sameboat.health.demo import data as D
from sameboat.health.models import (
    CaseStatus,
    WorkStatus,
)

ON_SITE, CLOUD, LEAVE = WorkStatus.ON_SITE, WorkStatus.CLOUD, WorkStatus.LEAVE
IN_QUARANTINE = {"home": WorkStatus.HOME_QUARANTINE, "central": WorkStatus.CENTRAL_QUARANTINE}
# The check-in counters of a return, in the order the simulation keeps them.
COUNTERS = ("reported", "on_time", "on_site", "cloud_office", "leave", "fever", "symptomatic", "exposed")
STATUS_COUNTER: dict[str, int] = {ON_SITE: 2, CLOUD: 3, LEAVE: 4}
CHECKIN_COLUMNS = (
    "employee organization day temperature symptoms region travelled contact work_status commute_mode source "
    "on_time submitted_by created_at updated_at"
)
QUARANTINE_COLUMNS = (
    "employee organization start planned_end released_on place reason reasons proposed created_by created_at"
)
CASE_COLUMNS = "employee organization status reason reasons opened_on closed_on opened_by_checkin created_at updated_at"
NOTE_COLUMNS = "case author text params status_from status_to created_at"


# A check-in's reasons to follow someone up, as codes and values (sameboat.health.reasons).
Reasons = list[dict[str, Any]]


@dataclass
class Person:
    """One person of the roster and what the history does to them."""

    id: int
    org_id: int
    unit: str
    region_id: int
    home_id: int
    user_id: int | None
    priority: float  # lower comes on site first (key research and production)
    reliability: float
    late: float
    commute: str
    baseline: float
    quiet: bool = False  # no background signals: logins and people in a story
    always: bool = False  # reports every day (the logins, people followed up closely)
    skip_today: bool = False
    away: tuple[int, int] | None = None  # went home for the holiday: (left, back) days ago
    trip: tuple[int, int, int] | None = None  # (region id, first, last) days ago
    # (start, first day out or None while open, place), days ago.
    quarantines: list[tuple[int, int | None, str]] = field(default_factory=list)
    contact_from: int | None = None
    readings: dict[int, D.Reading] = field(default_factory=dict)

    def quarantine_on(self, k: int) -> str | None:
        for start, out, place in self.quarantines:
            if start >= k and (out is None or k > out):
                return place
        return None


@dataclass
class CasePlan:
    """A follow-up case: opened by a signal, moved by status changes, maybe closed."""

    person: Person
    opened: int
    reason: Reasons
    changes: list[tuple[int, str, str]] = field(default_factory=list)  # (days ago, status, note)
    # Signals while open (their reasons as codes) and officers' notes (text).
    notes: list[tuple[int, Reasons | str]] = field(default_factory=list)
    closed: int | None = None

    def status_on(self, k: int) -> str | None:
        """The case's status at the end of day ``k``, or None when it is not open then."""
        if k > self.opened or (self.closed is not None and k <= self.closed):
            return None
        status: str = CaseStatus.WATCH
        for when, new, _ in self.changes:
            if when >= k:
                status = new
        return status


@dataclass
class Sim:
    """What the simulation produced, ready to be written."""

    checkins: list[tuple[Any, ...]] = field(default_factory=list)
    returns: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    signals: dict[int, list[tuple[int, Reasons]]] = field(default_factory=lambda: defaultdict(list))
    minutes: dict[tuple[int, int], int] = field(default_factory=dict)  # when signalled check-ins came in
    # (person, start, days, released, place, a person's words or the system's reasons as codes)
    quarantines: list[tuple[Person, int, int, int | None, str, str | Reasons]] = field(default_factory=list)
