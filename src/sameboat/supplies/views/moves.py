"""The page that records one stock move at a location (receipt, transfer, issue, adjustment,
return, write-off); the ledger service checks everything and a refusal lands on its field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sameboat.core.forms import domain_errors
from sameboat.supplies import selectors
from sameboat.supplies.forms import MoveForm
from sameboat.supplies.models import Location, Move, MoveKind
from sameboat.supplies.services import ledger
from sameboat.supplies.views.stock import move_kinds_for

# The service's argument names that are this form's fields by another name.
FIELD_MAP = {"delta": "quantity", "location": "item", "source": "item"}


def _post(request: HttpRequest, kind: str, place: Location, data: dict[str, Any]) -> list[Move]:
    common = {"actor": request.user, "item": data["item"], "reference": data.get("reference", "")}
    lot, reason = data.get("lot", ""), data.get("reason", "")
    if kind == MoveKind.TRANSFER:
        return ledger.stock_transfer(
            **common, source=place, destination=data["destination"], quantity=data["quantity"], lot=lot, reason=reason
        )
    if kind == MoveKind.ADJUSTMENT:
        delta = data["quantity"] if data["direction"] == "in" else -data["quantity"]
        return ledger.stock_adjust(
            **common, location=place, delta=delta, lot=lot, expiry=data.get("expiry"), reason=reason
        )
    if kind in (MoveKind.RECEIPT, MoveKind.RETURN):
        receive = ledger.stock_receive if kind == MoveKind.RECEIPT else ledger.stock_return
        return receive(
            **common, location=place, quantity=data["quantity"], lot=lot, expiry=data.get("expiry"), reason=reason
        )
    if kind == MoveKind.ISSUE:
        return ledger.stock_issue(**common, location=place, quantity=data["quantity"], lot=lot, reason=reason)
    return ledger.stock_write_off(**common, location=place, quantity=data["quantity"], lot=lot, reason=reason)


@login_required
@require_http_methods(["GET", "POST"])
def move_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a move of ``?kind=`` at the location (404 out of scope, 403 for a kind the
    person may not record there)."""
    place = selectors.location_get(user=request.user, pk=pk)
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    allowed = dict(move_kinds_for(request, place))
    if kind not in allowed:
        raise PermissionDenied
    items = selectors.item_list()
    form = MoveForm(
        request.POST or None,
        kind=kind,
        items=items,
        destinations=selectors.destinations_for(location=place),
        initial={"item": request.GET.get("item")} if request.GET.get("item", "").isdigit() else None,
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors(form, field_map=FIELD_MAP) as outcome:
            moves = _post(request, kind, place, form.cleaned_data)
        if not outcome.failed:
            item = form.cleaned_data["item"]
            messages.success(
                request,
                _("%(kind)s recorded: %(quantity)d × %(item)s.")
                % {"kind": allowed[kind], "quantity": sum(m.quantity for m in moves), "item": item.name},
            )
            return redirect(reverse("supplies:stock_card", args=[place.pk, item.pk]))
    return render(
        request,
        "supplies/move_form.html",
        {"place": place, "form": form, "kind": kind, "kind_label": allowed[kind]},
    )
