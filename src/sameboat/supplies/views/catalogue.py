"""The catalogue pages: the items (filter: search, category) and one item with its substitutes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sameboat.supplies import selectors
from sameboat.supplies.models import Category
from sameboat.supplies.views.stock import PAGE, require_stock_reader


@login_required
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    """The catalogue, paged."""
    require_stock_reader(request)
    search = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    qs = selectors.item_list(search=search, category=category)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supplies/items.html",
        {"page": page, "q": search, "category": category, "categories": Category.choices},
    )


@login_required
@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: its particulars, what may stand in for it, and its stock in the person's scope."""
    require_stock_reader(request)
    found = selectors.item_get(pk=pk)
    return render(
        request,
        "supplies/item.html",
        {
            "item": found,
            "substitutes": selectors.substitutes_of(item=found),
            "balances": selectors.balance_list(user=request.user, item=found)[:200],
        },
    )
