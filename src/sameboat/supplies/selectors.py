"""Reads of supplies on a person's behalf: the catalogue (shared reference data), and the
locations, balances and moves of the organisations the person's roles reach (out of scope:
absent, so a detail answers 404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from sameboat.accounts.scoping import get_in_scope_or_404, scope
from sameboat.supplies.access import STOCK_READ_ROLES
from sameboat.supplies.models import Balance, Equivalence, Item, Location, Move

# A lot this close to its expiry is flagged on the stock pages (and goes out first: FEFO).
EXPIRY_WARNING_DAYS = 60


def item_list(*, search: str = "", category: str = "", active: bool | None = True) -> QuerySet[Item]:
    """Items of the catalogue (everyone signed in may read it)."""
    qs = Item.objects.all()
    if active is not None:
        qs = qs.filter(is_active=active)
    if category:
        qs = qs.filter(category=category)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name_zh__icontains=search) | Q(name_en__icontains=search))
    return qs.order_by("code")


def item_get(*, pk: Any = None, code: str | None = None) -> Item:
    """One catalogue item by id or code, or 404."""
    lookup = {"code": code} if code is not None else {"pk": pk}
    try:
        return Item.objects.get(**lookup)
    except (Item.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def substitutes_of(*, item: Item) -> QuerySet[Equivalence]:
    """What may stand in for the item."""
    return Equivalence.objects.filter(item=item).select_related("substitute").order_by("substitute__code")


def location_list(
    *, user: Any, organization: Any = None, kind: str = "", roles: Any = STOCK_READ_ROLES, active: bool | None = True
) -> QuerySet[Location]:
    """Stock locations of the organisations the user reaches (optionally one subtree)."""
    qs = scope(Location.objects.select_related("organization"), user, roles=roles, within=organization)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("organization__path", "code")


def location_get(*, user: Any, pk: Any) -> Location:
    """One location in the user's scope, or 404."""
    return get_in_scope_or_404(Location.objects.select_related("organization"), user, roles=STOCK_READ_ROLES, pk=pk)


def destinations_for(*, location: Location) -> QuerySet[Location]:
    """Where stock at ``location`` may be sent: every active location of its group but itself.
    (The sender reaches the source; the destination may be any unit's store of the group.)"""
    org = location.organization
    root = org.path[: org.steplen]
    return (
        Location.objects.filter(is_active=True, organization__path__startswith=root)
        .exclude(pk=location.pk)
        .select_related("organization")
        .order_by("organization__path", "code")
    )


def balance_list(
    *,
    user: Any,
    item: Item | None = None,
    location: Location | None = None,
    organization: Any = None,
    expiring_within: int | None = None,
    include_empty: bool = False,
) -> QuerySet[Balance]:
    """Balances (per item, location and lot) at the locations the user reaches."""
    qs = scope(
        Balance.objects.select_related("item", "location", "location__organization"),
        user,
        via="location__organization",
        roles=STOCK_READ_ROLES,
        within=organization,
    )
    if not include_empty:
        qs = qs.filter(quantity__gt=0)
    if item is not None:
        qs = qs.filter(item=item)
    if location is not None:
        qs = qs.filter(location=location)
    if expiring_within is not None:
        qs = qs.filter(expiry__lte=timezone.localdate() + datetime.timedelta(days=expiring_within))
    return qs.order_by("item__code", "location__code", "expiry", "lot")


def balance_get(*, user: Any, pk: Any) -> Balance:
    """One balance in the user's scope, or 404."""
    return get_in_scope_or_404(
        Balance.objects.select_related("item", "location", "location__organization"),
        user,
        via="location__organization",
        roles=STOCK_READ_ROLES,
        pk=pk,
    )


def move_list(
    *, user: Any, item: Item | None = None, location: Location | None = None, kind: str = ""
) -> QuerySet[Move]:
    """Moves into or out of the locations the user reaches, newest first."""
    places = scope(Location.objects.all(), user, roles=STOCK_READ_ROLES).values("pk")
    qs = Move.objects.select_related("item", "from_location", "to_location", "actor").filter(
        Q(from_location__in=places) | Q(to_location__in=places)
    )
    if item is not None:
        qs = qs.filter(item=item)
    if location is not None:
        qs = qs.filter(Q(from_location=location) | Q(to_location=location))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-at", "-pk")


def move_get(*, user: Any, pk: Any) -> Move:
    """One move touching a location in the user's scope, or 404."""
    try:
        return move_list(user=user).get(pk=pk)
    except (Move.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class CardLine:
    """A line of a stock card: the move, what it did here, and the stock after it."""

    move: Move
    delta: int
    after: int


def stock_on_hand(*, item: Item, location: Location) -> int:
    """The item's stock at the location, all lots together (the caller has checked scope)."""
    return int(Balance.objects.filter(item=item, location=location).aggregate(n=Sum("quantity"))["n"] or 0)


def stock_card_lines(*, item: Item, location: Location, moves: Any) -> list[CardLine]:
    """The running balance for one page of a stock card (``moves``: the page, newest first).

    The stock after the page's newest move is today's stock less everything that came
    after it: one sum, whatever page is shown.
    """
    rows = list(moves)
    if not rows:
        return []
    newest = rows[0]
    later = Move.objects.filter(item=item).filter(Q(at__gt=newest.at) | Q(at=newest.at, pk__gt=newest.pk))
    came_in = later.filter(to_location=location).aggregate(n=Sum("quantity"))["n"] or 0
    went_out = later.filter(from_location=location).aggregate(n=Sum("quantity"))["n"] or 0
    after = stock_on_hand(item=item, location=location) - came_in + went_out
    lines = []
    for move in rows:
        delta = move.delta_at(location.pk)
        lines.append(CardLine(move, delta, after))
        after -= delta
    return lines


def stock_summary(*, user: Any, organization: Any = None, search: str = "") -> QuerySet[Any]:
    """Stock per item and location (lots summed), for the stock overview."""
    qs = balance_list(user=user, organization=organization)
    if search:
        qs = qs.filter(
            Q(item__code__icontains=search) | Q(item__name_zh__icontains=search) | Q(item__name_en__icontains=search)
        )
    return (
        qs.values(
            "item_id",
            "item__code",
            "item__name_zh",
            "item__name_en",
            "item__unit",
            "location_id",
            "location__code",
            "location__name_zh",
            "location__name_en",
        )
        .annotate(quantity=Sum("quantity"))
        .order_by("item__code", "location__code")
    )
