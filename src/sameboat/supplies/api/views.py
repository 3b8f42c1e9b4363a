"""API viewsets of the supplies domain, on the shared base (sameboat.api.viewsets): the
catalogue, locations, balances, moves (POST moves stock, with an Idempotency-Key) and the
stock card of an item at a location."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat.api.idempotency import idempotent
from sameboat.api.viewsets import ApiViewSet, CreateMixin
from sameboat.supplies import selectors
from sameboat.supplies.api import serializers as s
from sameboat.supplies.models import Item, Location, Move, MoveKind
from sameboat.supplies.services import catalogue, ledger


class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CreateMixin, ApiViewSet):
    """The catalogue: reference data for everyone signed in; HQ and supplies officers add items."""

    serializer_class = s.ItemSerializer
    create_serializer_class = s.ItemWriteSerializer
    filter_class = s.ItemFilter
    queryset = Item.objects.none()  # for the schema; get_queryset builds every request's

    def get_queryset(self) -> QuerySet[Item]:
        params = self.filters
        qs = selectors.item_list(search=params.get("search", ""), category=params.get("category", ""), active=None)
        return qs.prefetch_related("equivalences__substitute")

    def create_record(self, data: dict[str, Any]) -> Item:
        return catalogue.item_create(actor=self.request.user, **data)


class LocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Warehouses, stores and transit places of the organisations in your scope."""

    serializer_class = s.LocationSerializer
    filter_class = s.LocationFilter
    queryset = Location.objects.none()

    def get_queryset(self) -> QuerySet[Location]:
        params = self.filters
        return selectors.location_list(
            user=self.request.user, organization=params.get("org"), kind=params.get("kind", ""), active=None
        )


class BalanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Stock per item, location and lot in your scope (lots with stock)."""

    serializer_class = s.BalanceSerializer
    filter_class = s.BalanceFilter

    def get_queryset(self) -> QuerySet[Any]:
        params = self.filters
        qs = selectors.balance_list(
            user=self.request.user,
            item=params.get("item"),
            organization=params.get("org"),
            expiring_within=params.get("expiring_within"),
        )
        return qs.filter(location_id=params["location"]) if params.get("location") else qs

    def get_object(self) -> Any:
        return selectors.balance_get(user=self.request.user, pk=self.kwargs["pk"])


def _post_move(user: Any, data: dict[str, Any]) -> list[Move]:
    """Call the ledger service the move's kind names."""
    kind = data["kind"]
    common = {"actor": user, "item": data["item"], "reference": data.get("reference", "")}
    lot, reason = data.get("lot", ""), data.get("reason", "")
    if kind == MoveKind.TRANSFER:
        return ledger.stock_transfer(
            **common,
            source=data["source"],
            destination=data["destination"],
            quantity=data["quantity"],
            lot=lot,
            reason=reason,
        )
    place = {"location": data["location"]}
    if kind == MoveKind.ADJUSTMENT:
        return ledger.stock_adjust(
            **common, **place, delta=data["delta"], lot=lot, expiry=data.get("expiry"), reason=reason
        )
    if kind in (MoveKind.RECEIPT, MoveKind.RETURN):
        receive = ledger.stock_receive if kind == MoveKind.RECEIPT else ledger.stock_return
        return receive(**common, **place, quantity=data["quantity"], lot=lot, expiry=data.get("expiry"), reason=reason)
    if kind == MoveKind.ISSUE:
        return ledger.stock_issue(**common, **place, quantity=data["quantity"], lot=lot, reason=reason)
    return ledger.stock_write_off(**common, **place, quantity=data["quantity"], lot=lot, reason=reason)


class MoveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The stock ledger of the locations in your scope, newest first. POST records a move."""

    serializer_class = s.MoveSerializer
    filter_class = s.MoveFilter
    queryset = Move.objects.none()

    def get_queryset(self) -> QuerySet[Move]:
        params = self.filters
        qs = selectors.move_list(user=self.request.user, item=params.get("item"), kind=params.get("kind", ""))
        if params.get("location"):
            location = Location(pk=params["location"])
            qs = selectors.move_list(
                user=self.request.user, item=params.get("item"), location=location, kind=params.get("kind", "")
            )
        return qs

    def get_object(self) -> Any:
        return selectors.move_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.MoveInputSerializer, responses={201: s.MoveSerializer(many=True)})
    # A retried receipt, transfer or issue with the same key never moves stock twice: the
    # key is stored in the move's transaction and the retry gets the first answer.
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a receipt, transfer, issue, adjustment, return or write-off. An issue or
        transfer without a lot takes the lots that expire first, so it may make several moves."""
        moves = _post_move(request.user, self.input(s.MoveInputSerializer))
        return Response(s.MoveSerializer(moves, many=True).data, status=status.HTTP_201_CREATED)


class StockCardViewSet(ApiViewSet):
    """The stock card of an item at a location: its moves, newest first, with the stock after each."""

    filter_class = s.StockCardFilter

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request: Request) -> Response:
        """One page of the card, with today's stock on hand."""
        params = self.filters
        location = selectors.location_get(user=request.user, pk=params["location"])
        item = params["item"]
        moves = selectors.move_list(user=request.user, item=item, location=location)
        page = self.paginate_queryset(moves)
        lines = selectors.stock_card_lines(item=item, location=location, moves=page)
        response = self.get_paginated_response(s.StockCardLineSerializer(lines, many=True).data)
        response.data["item"] = item.code
        response.data["location"] = location.pk
        response.data["on_hand"] = selectors.stock_on_hand(item=item, location=location)
        return response
