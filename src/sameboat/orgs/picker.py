"""Choosing an organisation: one field for every form and filter, and its search.

The field is a ``core.widgets.PickerInput``: a text box that takes a code, an id or a name
in either language, enhanced by ``static/sameboat/picker.js`` into a searchable list fed by
``orgs:org_search``. Whatever the way in, the answer is resolved within the person's scope
(``orgs.selectors.organization_pick``), so nothing outside it can be found or named.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from sameboat.core.widgets import PickerInput
from sameboat.orgs.models import Organization
from sameboat.orgs.selectors import PICK_LIMIT, organization_pick

# How many candidates a "several match" message names, to help choose among them.
EXAMPLES_SHOWN = 3


def picker_label(org: Organization) -> str:
    """How a chosen organisation reads in the picker: its name in the reader's language."""
    return str(org.name)


class OrganizationField(forms.CharField):
    """An organisation in the person's scope, chosen by code or name (cleans to the
    ``Organization``, or None when left empty)."""

    default_error_messages = {
        "no_match": _("No organisation you can see matches “%(text)s”. Type part of its name or its code."),
        "several": _(
            "Several organisations match “%(text)s” (%(examples)s…): choose one from the list, or type its code."
        ),
        "no_user": _("Choosing an organisation needs a signed-in person."),
    }

    def __init__(self, *, user: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", PickerInput(reverse_lazy("orgs:org_search")))
        kwargs.setdefault("help_text", _("Type part of its name (Chinese or English) or its code."))
        super().__init__(**kwargs)
        self.user = user

    def for_user(self, user: Any) -> None:
        """Whose scope the typed text is resolved in (``core.filters.FilterForm`` calls it)."""
        self.user = user

    def show(self, org: Organization | None) -> None:
        """Make the picker show this organisation's name for its code."""
        if org is None:
            self.widget.attrs.pop("data-picker-label", None)
        else:
            self.widget.attrs["data-picker-label"] = picker_label(org)

    def clean(self, value: Any) -> Organization | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        if self.user is None:
            raise ValidationError(self.error_messages["no_user"], code="no_user")
        found = organization_pick(user=self.user, text=text)
        if len(found) == 1:
            self.show(found[0])
            return found[0]
        if not found:
            raise ValidationError(self.error_messages["no_match"], code="no_match", params={"text": text})
        examples = ", ".join(f"{picker_label(o)} ({o.code})" for o in found[:EXAMPLES_SHOWN])
        raise ValidationError(
            self.error_messages["several"], code="several", params={"text": text, "examples": examples}
        )

    def prepare_value(self, value: Any) -> Any:
        # A chosen organisation is written back into the box as its code, with its name shown.
        if isinstance(value, Organization):
            self.show(value)
            return value.code
        return value


__all__ = ["PICK_LIMIT", "OrganizationField", "picker_label"]
