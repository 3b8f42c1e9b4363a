"""The shapes the demo data is written in: plain frozen records, no database access."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RuleSpec:
    """A region's risk level and rules from ``days_ago`` days before the build on."""

    days_ago: int
    risk_level: str
    max_onsite_ratio: str
    quarantine_days: int
    note: str = ""


@dataclass(frozen=True)
class RegionSpec:
    """A province, a city or a country with its rule history (oldest first)."""

    code: str
    name_zh: str
    name_en: str
    country: str = "CN"
    rules: tuple[RuleSpec, ...] = ()


@dataclass(frozen=True)
class Seat:
    """A seat in a leadership group; ``source`` is the roster that holds the person
    (the organisation itself when empty)."""

    position: str  # LeadershipPosition value
    title: str
    duty: str
    source: str = ""


@dataclass(frozen=True)
class OrgSpec:
    """One organisation of the demo world and its children."""

    code: str
    name_zh: str
    name_en: str
    kind: str  # OrgKind value
    region: str | None = None
    country: str = "CN"
    # People on this organisation's own roster in the full world (not counting children).
    staff: int = 0
    # The head's title, given to the first person on the roster unless a seat took it.
    head: str = ""
    # "company" or "unit" for the standard seats, "custom" for ``seats`` below, "" for none.
    leadership: str = ""
    seats: tuple[Seat, ...] = ()
    # Which job titles the rest of the roster draws from (see data.STAFF_TITLES).
    profile: str = "tech"
    address: str = ""
    contact_email: str = ""
    children: tuple[OrgSpec, ...] = field(default=())

    def walk(self) -> Iterator[OrgSpec]:
        """This organisation and all below it, parents before children, children by code."""
        yield self
        for child in sorted(self.children, key=lambda c: c.code):
            yield from child.walk()
