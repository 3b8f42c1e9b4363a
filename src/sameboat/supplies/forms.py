"""Forms of the supplies pages: a stock move at a location, and the lists' filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sameboat.core.widgets import DateField
from sameboat.supplies.models import Item, Location, MoveKind
from sameboat.supplies.services.ledger import MAX_QUANTITY

# The kinds whose stock comes in from outside and so carry a lot's expiry.
INBOUND_KINDS = (MoveKind.RECEIPT, MoveKind.RETURN, MoveKind.ADJUSTMENT)


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organization.name} · {obj.name}"


class MoveForm(forms.Form):
    """One move at a location. Which fields show depends on the kind (``kind`` is fixed by
    the page): a transfer has a destination, an adjustment a direction, stock coming in a
    lot's expiry."""

    item = ItemChoiceField(label=_("Item"), queryset=Item.objects.none())
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("in", _("More than on the books")), ("out", _("Fewer than on the books"))]
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    destination = LocationChoiceField(label=_("Destination"), queryset=Location.objects.none())
    lot = forms.CharField(
        label=_("Lot"), max_length=60, required=False, help_text=_("Empty: the lots that expire first go first.")
    )
    expiry = DateField(label=_("Expiry"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    reference = forms.CharField(
        label=_("Reference"), max_length=100, required=False, help_text=_("Delivery note, donation or order number.")
    )

    def __init__(self, *args: Any, kind: str, items: Any, destinations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        if kind == MoveKind.TRANSFER:
            self.fields["destination"].queryset = destinations  # type: ignore[attr-defined]
        else:
            del self.fields["destination"]
        if kind != MoveKind.ADJUSTMENT:
            del self.fields["direction"]
        if kind in INBOUND_KINDS:
            self.fields["lot"].help_text = _("Required for items with an expiry date or a serial number.")
        else:
            del self.fields["expiry"]
        if kind in (MoveKind.ADJUSTMENT, MoveKind.WRITE_OFF):
            self.fields["reason"].required = True


class StockFilter(forms.Form):
    q = forms.CharField(label=_("Item"), required=False, max_length=100)
    expiring = forms.BooleanField(label=_("Expiring soon only"), required=False)


class CardFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *MoveKind.choices])
