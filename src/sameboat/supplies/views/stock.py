"""Stock pages: the overview of balances in scope, a location with its stock, and the stock
card of an item at a location (moves with the stock after each)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sameboat.accounts.scoping import has_role, reaches
from sameboat.supplies import selectors
from sameboat.supplies.access import ISSUE_ROLES, STOCK_READ_ROLES, SUPPLY_CHAIN_ROLES
from sameboat.supplies.forms import CardFilter, StockFilter
from sameboat.supplies.models import Location, MoveKind

PAGE = 50


def require_stock_reader(request: HttpRequest) -> None:
    """Stock pages answer 404 to people who read no subtree (employees, nobodies)."""
    if not has_role(request.user, *STOCK_READ_ROLES):
        raise Http404


def move_kinds_for(request: HttpRequest, location: Location) -> list[tuple[str, Any]]:
    """The moves the person may record at the location, as (kind, label)."""
    org = location.organization
    if reaches(request.user, org, SUPPLY_CHAIN_ROLES):
        return list(MoveKind.choices)
    if reaches(request.user, org, ISSUE_ROLES):
        return [(k, label) for k, label in MoveKind.choices if k in (MoveKind.ISSUE, MoveKind.RETURN)]
    return []


@login_required
@require_GET
def stock_overview(request: HttpRequest) -> HttpResponse:
    """Every lot with stock in the person's scope (filter: item, expiring soon), and their locations."""
    require_stock_reader(request)
    form = StockFilter(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    expiring = bool(params.get("expiring"))
    qs = selectors.balance_list(user=request.user, expiring_within=selectors.EXPIRY_WARNING_DAYS if expiring else None)
    if params.get("q"):
        q = params["q"]
        qs = qs.filter(Q(item__code__icontains=q) | Q(item__name_zh__icontains=q) | Q(item__name_en__icontains=q))
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supplies/stock_overview.html",
        {
            "page": page,
            "form": form,
            "expiring": expiring,
            "warn_before": timezone.localdate() + _warning(),
            "locations": selectors.location_list(user=request.user),
        },
    )


def _warning() -> datetime.timedelta:
    """How far ahead a lot's expiry is flagged."""
    return datetime.timedelta(days=selectors.EXPIRY_WARNING_DAYS)


@login_required
@require_GET
def location(request: HttpRequest, pk: int) -> HttpResponse:
    """A location: its stock per item (lots listed), and the moves the person may record."""
    place = selectors.location_get(user=request.user, pk=pk)
    balances = list(selectors.balance_list(user=request.user, location=place))
    totals: dict[int, dict] = {}
    for b in balances:
        line = totals.setdefault(b.item_id, {"item": b.item, "quantity": 0, "lots": []})
        line["quantity"] += b.quantity
        line["lots"].append(b)
    return render(
        request,
        "supplies/location.html",
        {
            "place": place,
            "lines": list(totals.values()),
            "kinds": move_kinds_for(request, place),
            "warn_before": timezone.localdate() + _warning(),
        },
    )


@login_required
@require_GET
def stock_card(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The stock card of one item at one location: moves newest first, paged, with the stock
    after each (filter: kind)."""
    place = selectors.location_get(user=request.user, pk=pk)
    item = selectors.item_get(pk=item_pk)
    form = CardFilter(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    moves = selectors.move_list(user=request.user, item=item, location=place)
    # The running balance needs every move; a kind filter shows the matching lines of it.
    page = Paginator(moves.filter(kind=kind) if kind else moves, PAGE).get_page(request.GET.get("page"))
    lines = (
        selectors.stock_card_lines(item=item, location=place, moves=page)
        if not kind
        else [selectors.CardLine(m, m.delta_at(place.pk), None) for m in page]  # type: ignore[arg-type]
    )
    lots = selectors.balance_list(user=request.user, location=place, item=item)
    return render(
        request,
        "supplies/stock_card.html",
        {
            "place": place,
            "item": item,
            "page": page,
            "lines": lines,
            "form": form,
            "kind": kind,
            "on_hand": lots.aggregate(n=Sum("quantity"))["n"] or 0,
            "lots": lots,
            "kinds": move_kinds_for(request, place),
            "warn_before": timezone.localdate() + _warning(),
        },
    )
