"""Serializers of the supplies API: catalogue items, locations, balances, moves, the stock
card, and the one input of every stock move."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sameboat.api.fields import BoundedIntegerField, CodeField, IdField
from sameboat.orgs.api.serializers import ScopedOrganizationField
from sameboat.supplies import selectors
from sameboat.supplies.models import Balance, Category, Item, Location, LocationKind, Move, MoveKind
from sameboat.supplies.services.ledger import MAX_QUANTITY


class ItemSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    substitutes = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "name",
            "name_zh",
            "name_en",
            "category",
            "unit",
            "pack_size",
            "standard",
            "shelf_life_days",
            "serial_tracked",
            "needs_expiry",
            "is_active",
            "substitutes",
        ]

    def get_substitutes(self, item: Item) -> list[str]:
        return [e.substitute.code for e in item.equivalences.all()]


class ItemWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = [
            "code",
            "name_zh",
            "name_en",
            "category",
            "unit",
            "pack_size",
            "standard",
            "shelf_life_days",
            "serial_tracked",
            "needs_expiry",
        ]
        # The service checks uniqueness and answers in the one error shape.
        extra_kwargs: dict[str, dict[str, Any]] = {"code": {"validators": []}}


class LocationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    organization = serializers.CharField(source="organization.code", read_only=True)

    class Meta:
        model = Location
        fields = ["id", "code", "name", "name_zh", "name_en", "kind", "organization", "address", "is_active"]


class BalanceSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    location = serializers.IntegerField(source="location_id", read_only=True)
    location_code = serializers.CharField(source="location.code", read_only=True)

    class Meta:
        model = Balance
        fields = ["id", "item", "location", "location_code", "lot", "expiry", "quantity"]


class MoveSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    from_location = serializers.IntegerField(source="from_location_id", read_only=True, allow_null=True)
    to_location = serializers.IntegerField(source="to_location_id", read_only=True, allow_null=True)
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Move
        fields = [
            "id",
            "kind",
            "item",
            "from_location",
            "to_location",
            "quantity",
            "lot",
            "expiry",
            "reason",
            "reference",
            "actor",
            "at",
        ]


class MoveInputSerializer(serializers.Serializer):
    """One stock move. ``location`` is where stock comes in or goes out (receipt, return,
    issue, write-off, adjustment); a transfer names ``source`` and ``destination``."""

    kind = serializers.ChoiceField(choices=MoveKind.choices)
    item = CodeField(queryset=Item.objects.filter(is_active=True), help_text=gettext_lazy("The item's code."))
    quantity = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_QUANTITY, help_text=gettext_lazy("Units (not packs).")
    )
    delta = serializers.IntegerField(
        required=False,
        min_value=-MAX_QUANTITY,
        max_value=MAX_QUANTITY,
        help_text=gettext_lazy("Adjustments: units more (positive) or fewer (negative)."),
    )
    location = IdField(required=False)  # type: ignore[assignment]  # Field.source is a str
    source = IdField(required=False)  # type: ignore[assignment]
    destination = IdField(required=False)
    lot = serializers.CharField(required=False, allow_blank=True, max_length=60)
    expiry = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["kind"]
        needed = {
            MoveKind.TRANSFER: ("source", "destination", "quantity"),
            MoveKind.ADJUSTMENT: ("location", "delta"),
        }.get(kind, ("location", "quantity"))
        missing = {name: [_("This field is required.")] for name in needed if attrs.get(name) is None}
        if missing:
            raise serializers.ValidationError(missing)
        user = self.context["request"].user
        # A location out of the caller's scope is refused with the same words as a missing one.
        for name in ("location", "source"):
            if name in needed:
                attrs[name] = _scoped_location(user, attrs[name], name)
        if "destination" in needed:
            found = selectors.destinations_for(location=attrs["source"]).filter(pk=attrs["destination"]).first()
            if found is None:
                raise serializers.ValidationError({"destination": [_("Unknown location.")]})
            attrs["destination"] = found
        return attrs


def _scoped_location(user: Any, pk: int, name: str) -> Location:
    found = selectors.location_list(user=user).filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({name: [_("Unknown location.")]})
    return found


class ItemFilter(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("Part of a name or code."))
    category = serializers.ChoiceField(choices=Category.choices, required=False)


class LocationFilter(serializers.Serializer):
    org = ScopedOrganizationField(required=False, help_text=gettext_lazy("Code of an organisation: its subtree."))
    kind = serializers.ChoiceField(choices=LocationKind.choices, required=False)


class BalanceFilter(serializers.Serializer):
    org = ScopedOrganizationField(required=False, help_text=gettext_lazy("Code of an organisation: its subtree."))
    item = CodeField(queryset=Item.objects.all(), required=False, help_text=gettext_lazy("The item's code."))
    location = IdField(required=False)
    expiring_within = BoundedIntegerField(
        required=False, min_value=0, max_value=3650, help_text=gettext_lazy("Only lots expiring within so many days.")
    )


class MoveFilter(serializers.Serializer):
    item = CodeField(queryset=Item.objects.all(), required=False, help_text=gettext_lazy("The item's code."))
    location = IdField(required=False)
    kind = serializers.ChoiceField(choices=MoveKind.choices, required=False)


class StockCardFilter(serializers.Serializer):
    item = CodeField(queryset=Item.objects.all(), help_text=gettext_lazy("The item's code."))
    location = IdField()


class StockCardLineSerializer(serializers.Serializer):
    move = MoveSerializer()
    delta = BoundedIntegerField(min_value=-MAX_QUANTITY, max_value=MAX_QUANTITY)
    after = BoundedIntegerField(min_value=0, max_value=MAX_QUANTITY)
