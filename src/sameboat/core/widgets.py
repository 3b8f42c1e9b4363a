"""Form widgets every page shares.

A browser's ``<input type="date">`` accepts one value format only, ``YYYY-MM-DD``, and shows
the date in the reader's own locale by itself. Django's ``DateInput`` writes its value in the
active language's first input format instead (``2026/12/02`` in Chinese), which the browser
rejects: the field comes up empty and the form seems not to save. So every date input of the
project is an ``IsoDateInput``, and every date field a ``DateField`` from here, whose widget it
is by default; tests/core/test_widgets.py holds every form of the project to that.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext

# The only value an <input type="date"> accepts (HTML's "valid date string").
ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    """``<input type="date">`` whose value is always ISO, whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # No ``format`` argument on purpose: any other format leaves the browser's field empty.
        super().__init__(attrs, format=ISO_DATE)


class DateField(forms.DateField):
    """A form's date field, shown as a browser date picker with an ISO value.

    Reading still accepts the language's own formats (an API client or a typed value), so
    only what the page writes into the input is fixed.
    """

    widget = IsoDateInput


class PickerInput(forms.TextInput):
    """A text box that ``static/sameboat/picker.js`` turns into a searchable list.

    Without JavaScript it stays a text box: the server resolves what was typed (a code or a
    name) and says beside the field when that matches nothing or several things. With it, a
    visible box searches ``search_url?q=`` as the person types and the field's own value
    becomes the chosen record's code; ``data-picker-label`` is what the box shows for the
    value already chosen. No inline script or style, so the strict CSP holds.
    """

    def __init__(self, search_url: Any = "", attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.search_url = search_url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # Resolved here, at render time: the URL is reversed lazily (the URLconf may not be
        # loaded when a form class is defined).
        context["widget"]["attrs"]["data-picker"] = str(self.search_url)
        context["widget"]["attrs"]["data-picker-none"] = gettext("Nothing you can see matches this.")
        return context
