"""What the apps add to shared screens and to the next issues' frameworks, and how it is read.

Each app registers its parts in its ``AppConfig.ready()``: navigation entries and dashboard
shortcuts, dashboard tiles, landings (where each role starts), readiness checks (work
resumption), situation-report sections (reports) and scope-matrix entries (tests). Core and
the site list whatever is registered and never name a domain. Import kinds have their own
module (``core.import_kinds``).

Every callable here takes plain arguments (a user, an organisation, a day) and is called at
request time, never at import time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sameboat.core.registry import Registry


def everyone(user: Any) -> bool:
    """A contribution shown to everyone signed in."""
    return True


# --- Navigation and the dashboard ---------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    """A link in the main menu (or among the dashboard's shortcuts) for whoever ``visible`` admits.

    ``key`` also names the link for tests and people who script the pages: ``nav-<key>`` in the
    menu, ``link-<key>`` among the shortcuts.
    """

    key: str
    label: Any
    url_name: str
    order: int = 0
    visible: Callable[[Any], bool] = everyone

    @property
    def href(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class DashboardTile:
    """A key figure on the dashboard: ``value(user)`` is counted within the user's scope."""

    key: str
    label: Any
    value: Callable[[Any], int]
    url_name: str = ""  # where the figure leads; empty: not a link
    order: int = 0
    visible: Callable[[Any], bool] = everyone
    alert_when_positive: bool = False  # drawn as a warning when the figure is above zero
    # The query string the link carries ("?unread=1"): the filter that makes the list it
    # opens show exactly the rows ``value`` counts (a tile's number equals its list's length).
    query: str = ""


@dataclass(frozen=True)
class ShownTile:
    """A tile with its figure for one person."""

    tile: DashboardTile
    value: int

    @property
    def key(self) -> str:
        return self.tile.key

    @property
    def label(self) -> Any:
        return self.tile.label

    @property
    def href(self) -> str:
        return reverse(self.tile.url_name) + self.tile.query if self.tile.url_name else ""

    @property
    def alert(self) -> bool:
        return self.tile.alert_when_positive and self.value > 0


navigation: Registry[NavEntry] = Registry("navigation")
shortcuts: Registry[NavEntry] = Registry("dashboard shortcuts")
dashboard_tiles: Registry[DashboardTile] = Registry("dashboard tiles")


@dataclass(frozen=True)
class HomeCard:
    """A card on a person's own home page (people with no subtree to read): ``values(user)``
    is what its ``template`` shows, or None when the card does not concern the person."""

    key: str
    template: str
    values: Callable[[Any], dict[str, Any] | None]
    order: int = 0


home_cards: Registry[HomeCard] = Registry("home cards")


def home_cards_for(user: Any) -> list[dict[str, Any]]:
    """The cards of the person's own page, each as {"template", "values"}, in display order."""
    shown = []
    for card in home_cards.sorted():
        values = card.values(user)
        if values is not None:
            shown.append({"key": card.key, "template": card.template, "values": values})
    return shown


def entries_for(registry: Registry[NavEntry], user: Any) -> list[NavEntry]:
    """The entries the person may use, in display order."""
    return [entry for entry in registry.sorted() if entry.visible(user)]


def tiles_for(user: Any) -> list[ShownTile]:
    """The dashboard's tiles the person sees, with their figures, in display order."""
    return [ShownTile(tile, tile.value(user)) for tile in dashboard_tiles.sorted() if tile.visible(user)]


# --- Landing: where each role's work starts -------------------------------------------------


@dataclass(frozen=True)
class Landing:
    """Where people holding one of ``roles`` start: after signing in and on the home page.

    A domain registers the landing of the roles whose work it holds (supplies: its stock page
    for supplies and logistics officers) with ``url_name``, and the home page sends them
    there. ``template`` instead shows a page in the home page's place (with
    ``context(user)``): the site's "not here yet" pages, for roles whose domain is still to
    come. A person holding several roles lands by the lowest ``order``; a domain's own page
    (order below ``LANDING_PENDING``) wins over a "not here yet" page for the same role.
    """

    key: str
    roles: frozenset[str]
    url_name: str = ""
    template: str = ""
    context: Callable[[Any], dict[str, Any]] | None = None
    order: int = 100

    def values(self, user: Any) -> dict[str, Any]:
        """What ``template`` shows for the person."""
        return self.context(user) if self.context is not None else {}


# The order of the "not here yet" landings: any landing a domain registers comes first.
LANDING_PENDING = 900

landings: Registry[Landing] = Registry("landings")


def landing_for(roles: Iterable[str]) -> Landing | None:
    """The landing of a person holding ``roles``, or None (the home page as it is)."""
    held = set(roles)
    for landing in landings.sorted():
        if landing.roles & held:
            return landing
    return None


# --- Readiness checks (work resumption) ---------------------------------------------------------


class Readiness(models.TextChoices):
    """How one check judges an organisation: ready, borderline, not ready, or cannot tell."""

    PASS = "pass", _("Ready")
    WARN = "warn", _("Borderline")
    FAIL = "fail", _("Not ready")
    UNKNOWN = "unknown", _("No data")


@dataclass(frozen=True)
class ReadinessResult:
    """The answer of one check: a status, what was checked and the figure behind it, in words."""

    status: Readiness
    label: Any
    detail: Any = ""


@dataclass(frozen=True)
class ReadinessCheck:
    """A condition an organisation must meet before work resumes there.

    ``check(organization, day)`` judges the organisation's whole subtree on that day. It reads
    without a user: whoever shows the result (a plan's page) has checked the organisation is in
    their scope. A check never writes.
    """

    key: str
    label: Any
    check: Callable[[Any, datetime.date], ReadinessResult]
    order: int = 0


readiness_checks: Registry[ReadinessCheck] = Registry("readiness checks")


def readiness_run(*, organization: Any, day: datetime.date) -> list[tuple[ReadinessCheck, ReadinessResult]]:
    """Every registered check's answer for the organisation on the day, in display order."""
    return [(check, check.check(organization, day)) for check in readiness_checks.sorted()]


# --- Situation-report sections (reports) ----------------------------------------------------------


@dataclass(frozen=True)
class SitrepSection:
    """A section of the situation report: ``context(user, day)`` gives what it shows, within the
    user's scope (a dict the report's template renders; empty when there is nothing to say)."""

    key: str
    title: Any
    context: Callable[[Any, datetime.date], dict[str, Any]]
    order: int = 0
    visible: Callable[[Any], bool] = everyone


sitrep_sections: Registry[SitrepSection] = Registry("situation-report sections")


def sitrep_for(*, user: Any, day: datetime.date) -> list[tuple[SitrepSection, dict[str, Any]]]:
    """The sections the person's report holds on the day, each with its context."""
    return [(s, s.context(user, day)) for s in sitrep_sections.sorted() if s.visible(user)]


# --- Scope matrix (tests) -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeEntry:
    """One URL of a domain and who may open it; the scope tests read their URLs from these.

    ``key`` is the URL's name as the URLconf gives it: with its namespace for pages
    (``health:cases``), without one for API routes (``checkin-list``). ``roles`` are the roles
    whose scope opens it; ``None`` means anyone signed in (their own records, reference data).
    ``scoped`` says whether its records belong to organisations, so that one out of scope
    answers like a missing one.
    """

    key: str
    app: str
    roles: frozenset[str] | None
    scoped: bool = True
    api: bool = False


scope_matrix: Registry[ScopeEntry] = Registry("scope matrix")


def scope_entries(
    *, app: str, api: bool | None = None, roles: frozenset[str] | None = None, scoped: bool = True
) -> Callable[[Iterable[str]], None]:
    """Register several URL names of one app with the same rule (a shorthand for ``ready()``)."""

    def register(names: Iterable[str]) -> None:
        for name in names:
            is_api = api if api is not None else ":" not in name
            scope_matrix.register(ScopeEntry(key=name, app=app, roles=roles, scoped=scoped, api=is_api))

    return register
